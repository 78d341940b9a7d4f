import { RedisTestServer, redisTestConnection, deleteKeysWithPrefix, uniqueTestPrefix } from '@quarterly/testing/redis-test-connection';
import { SmtpTestServer } from '@quarterly/testing/smtp-test-server';
import type { Redis } from 'ioredis';
import { RedisSentNotificationLedger } from '../ledger/redis-sent-notification-ledger';
import { MailDeliveryError, type OutgoingMail } from './mailer.port';
import { messageIdFor } from './message-id';
import { NotificationSender } from './notification-sender';
import { SmtpMailerAdapter } from './smtp-mailer.adapter';

const FROM = 'Quarterly <quarterly@council.example>';

const mail = (key: string): OutgoingMail => ({
  idempotencyKey: key,
  to: [{ name: 'Jo Smith', email: 'jo.smith@council.example' }],
  cc: [{ name: 'Adults DMT', email: 'adults.dmt@council.example' }],
  subject: 'Quarterly returns: 1 return overdue — ASC-01 (14 Oct 2025)',
  text: 'Overdue: ASC-01 “Permanent admissions”\nhttps://q.example/returns/ASC-01%3A2025%2F26-Q2\n',
  html: '<p>Overdue: <a href="https://q.example/returns/ASC-01%3A2025%2F26-Q2">ASC-01</a></p>',
});

describe('SMTP mailer against a real SMTP server', () => {
  let smtp: SmtpTestServer;
  let mailer: SmtpMailerAdapter;

  beforeEach(async () => {
    smtp = await SmtpTestServer.start();
    mailer = new SmtpMailerAdapter({ smtpUrl: smtp.url, from: FROM, timeoutMs: 2_000 });
  });

  afterEach(async () => {
    await mailer.close();
    await smtp.stop();
  });

  it('delivers text and HTML with a Message-ID derived from the idempotency key', async () => {
    const sent = await mailer.send(mail('notice-1'));
    const [received] = await smtp.waitForMails(1);
    expect(sent.messageId).toBe(messageIdFor('notice-1', 'council.example'));
    expect(received!.messageId).toBe(sent.messageId);
    expect(received!.subject).toBe('Quarterly returns: 1 return overdue — ASC-01 (14 Oct 2025)');
    expect(received!.text).toContain('“Permanent admissions”');
    expect(received!.html).toContain('href="https://q.example/returns/ASC-01%3A2025%2F26-Q2"');
    expect(received!.to).toEqual(['jo.smith@council.example']);
    expect(received!.cc).toEqual(['adults.dmt@council.example']);
    expect(received!.envelope.to).toEqual(['jo.smith@council.example', 'adults.dmt@council.example']);
    expect(received!.headers.get('x-quarterly-notification')).toBe('notice-1');
  });

  it('reports readiness, and a server that is down as a retryable delivery error', async () => {
    await expect(mailer.verify()).resolves.toBeUndefined();
    await smtp.stop();
    await expect(mailer.verify()).rejects.toBeInstanceOf(MailDeliveryError);
    const failure = await mailer.send(mail('notice-2')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MailDeliveryError);
    expect((failure as MailDeliveryError).permanent).toBe(false);
    await smtp.start();
    await mailer.send(mail('notice-2'));
    expect((await smtp.waitForMails(1)).map((m) => m.headers.get('x-quarterly-notification'))).toEqual(['notice-2']);
  });

  it('treats a 4xx refusal as temporary', async () => {
    smtp.failNext(1);
    const failure = await mailer.send(mail('notice-3')).catch((error: unknown) => error);
    expect((failure as MailDeliveryError).permanent).toBe(false);
    expect(smtp.mails).toHaveLength(0);
  });
});

describe('NotificationSender with the Redis ledger', () => {
  let smtp: SmtpTestServer;
  let mailer: SmtpMailerAdapter;
  let redis: Redis;
  let prefix: string;
  let sender: NotificationSender;
  let ledger: RedisSentNotificationLedger;

  beforeEach(async () => {
    smtp = await SmtpTestServer.start();
    mailer = new SmtpMailerAdapter({ smtpUrl: smtp.url, from: FROM, timeoutMs: 2_000 });
    redis = redisTestConnection();
    prefix = uniqueTestPrefix('ledger');
    ledger = new RedisSentNotificationLedger(redis, { prefix });
    sender = new NotificationSender(mailer, ledger, () => new Date('2025-10-17T08:00:00Z'));
  });

  afterEach(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    redis.disconnect();
    await mailer.close();
    await smtp.stop();
  });

  it('sends a notification once however often it is asked to', async () => {
    const first = await sender.send(mail('digest.jo.2025-10-17'));
    const second = await sender.send(mail('digest.jo.2025-10-17'));
    expect(first.outcome).toBe('sent');
    expect(second).toEqual({ outcome: 'already_sent', messageId: first.messageId });
    expect(smtp.mails).toHaveLength(1);
    expect(await ledger.lookup('digest.jo.2025-10-17')).toMatchObject({ status: 'sent', attempts: 1, sentAt: '2025-10-17T08:00:00.000Z' });
  });

  it('retries after a failed delivery and then sends exactly one mail', async () => {
    await smtp.stop();
    await expect(sender.send(mail('notice-9'))).rejects.toBeInstanceOf(MailDeliveryError);
    expect(await ledger.lookup('notice-9')).toMatchObject({ status: 'attempted', attempts: 1 });
    await smtp.start();
    const retried = await sender.send(mail('notice-9'));
    expect(retried).toMatchObject({ outcome: 'sent', attempt: 2 });
    expect(smtp.mails.map((m) => m.messageId)).toEqual([retried.messageId]);
  });
});

describe('RedisSentNotificationLedger across a Redis restart', () => {
  it('keeps what was sent (AOF)', async () => {
    const server = await RedisTestServer.create();
    try {
      let redis = redisTestConnection(server.url);
      await new RedisSentNotificationLedger(redis).recordAttempt('k', new Date('2025-10-17T08:00:00Z'));
      await new RedisSentNotificationLedger(redis).recordSent('k', { messageId: '<m@x>', at: new Date('2025-10-17T08:00:01Z') });
      redis.disconnect();
      await server.stop();
      await server.start();
      redis = redisTestConnection(server.url);
      expect(await new RedisSentNotificationLedger(redis).lookup('k')).toMatchObject({ status: 'sent', messageId: '<m@x>' });
      redis.disconnect();
    } finally {
      await server.destroy();
    }
  });
});
