import { SignInIdTakenError } from '../shared/domain-error';
import { assertSignInIdFree, proposedSignInId } from './sign-in-id.rule';

const OID = '7d3c0c1e-52b1-4c4e-9a0e-1f2d3c4b5a69';

describe('a sign-in id names one person of the directory', () => {
  it('refuses one another person holds, naming them', () => {
    expect(() => assertSignInIdFree('p.other', OID, 'p.lead')).toThrow(SignInIdTakenError);
    expect(() => assertSignInIdFree('p.other', OID, 'p.lead')).toThrow(`signInId: ${OID} is already the sign-in id of p.lead`);
  });

  it('lets through one nobody holds, or the person’s own', () => {
    expect(() => assertSignInIdFree('p.other', OID, undefined)).not.toThrow();
    expect(() => assertSignInIdFree('p.lead', OID, 'p.lead')).not.toThrow();
  });

  it('reads the sign-in id a person command would give, leaving malformed values to the decider', () => {
    expect(proposedSignInId({ type: 'RegisterPerson', data: { signInId: OID } })).toBe(OID);
    expect(proposedSignInId({ type: 'ChangePersonDetails', data: { signInId: OID, reason: 'new account' } })).toBe(OID);
    expect(proposedSignInId({ type: 'RegisterFirstAdministrator', data: { signInId: OID } })).toBe(OID);
    expect(proposedSignInId({ type: 'ChangePersonDetails', data: { name: 'Pat' } })).toBeUndefined();
    expect(proposedSignInId({ type: 'ChangePersonDetails', data: { signInId: 42 } })).toBeUndefined();
    expect(proposedSignInId({ type: 'ChangePersonDetails', data: { signInId: '  ' } })).toBeUndefined();
    expect(proposedSignInId({ type: 'DeactivatePerson', data: { signInId: OID } })).toBeUndefined();
  });
});
