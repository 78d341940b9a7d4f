import { DomainError, ValidationError } from '@quarterly/domain';

/**
 * Every field the domain refuses in one row, not only the first: the domain's validators stop at
 * the first bad field, so each refused field is set aside (`setAside` puts a value there that
 * lets the check go on, or answers false when it cannot) and the check is run again. The rules
 * stay the domain's; the import only asks them once per field. A field refused twice, or an error
 * that names no field, ends the search.
 */
export function everyValidationProblem(check: () => void, setAside: (field: string) => boolean, limit = 30): DomainError[] {
  const found: DomainError[] = [];
  const setAsideFields = new Set<string>();
  for (let attempt = 0; attempt < limit; attempt += 1) {
    try {
      check();
      return found;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      found.push(error);
      if (!(error instanceof ValidationError) || setAsideFields.has(error.field) || !setAside(error.field)) return found;
      setAsideFields.add(error.field);
    }
  }
  return found;
}
