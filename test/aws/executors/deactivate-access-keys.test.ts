/**
 * Access key deactivation. ListAccessKeys answers `AccessKeyMetadata` entries with UserName,
 * AccessKeyId and Status (Active | Inactive), paged by Marker/IsTruncated (IAM API Reference,
 * ListAccessKeys); UpdateAccessKey takes UserName, AccessKeyId, Status.
 */
import { DeleteAccessKeyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionError } from '../../../core/errors.ts';
import { deactivateAccessKeys } from '../../../functions-aws/executors/deactivate-access-keys.ts';
import { exfiltrationAlert, user } from '../../support/alerts.ts';
import { fakeIam } from './fake-iam.ts';
import { ctx, homeClients, inputsOf, plannedOf } from './harness.ts';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const OTHER = 'AKIAI44QH8DHBEXAMPLE';
const OLD = 'AKIAJ7W5DXAMPLE0LD01';
let fake: ReturnType<typeof fakeIam>;
afterEach(() => fake.mock.restore());

function setup() {
  fake = fakeIam();
  fake.user('mallory', [
    { id: KEY, status: 'Active' },
    { id: OTHER, status: 'Active' },
    { id: OLD, status: 'Inactive' },
  ]);
  const action = plannedOf('deactivate-access-keys', exfiltrationAlert({ principal: user('mallory', KEY) }));
  return { action, executor: deactivateAccessKeys(homeClients) };
}
const statuses = () => Object.fromEntries(fake.users.get('mallory')?.keys.map((k) => [k.id, k.status]) ?? []);

describe('deactivate-access-keys', () => {
  it('reads every key across pages', async () => {
    const { action, executor } = setup();
    expect(await executor.read(action, ctx())).toEqual({
      keys: [
        { accessKeyId: KEY, status: 'Active' },
        { accessKeyId: OTHER, status: 'Active' },
        { accessKeyId: OLD, status: 'Inactive' },
      ],
    });
  });

  it('sets only the named key Inactive and never deletes one', async () => {
    const { action, executor } = setup();
    expect(action.params).toEqual({ userName: 'mallory', accessKeyIds: [KEY], allKeys: false });
    const out = await executor.apply(action, await executor.read(action, ctx()), ctx());
    expect(inputsOf(fake.mock, UpdateAccessKeyCommand)).toEqual([
      { UserName: 'mallory', AccessKeyId: KEY, Status: 'Inactive' },
    ]);
    expect(out).toMatchObject({ outcome: 'applied', details: { deactivated: [KEY], alreadyInactive: [] } });
    expect(statuses()).toEqual({ [KEY]: 'Inactive', [OTHER]: 'Active', [OLD]: 'Inactive' });
    expect(fake.mock).not.toReceiveCommand(DeleteAccessKeyCommand);
  });

  it('with allKeys, deactivates every Active key; a second run is already applied', async () => {
    const { action, executor } = setup();
    const all = { ...action, params: { ...action.params, allKeys: true } };
    await executor.apply(all, await executor.read(all, ctx()), ctx());
    expect(
      inputsOf(fake.mock, UpdateAccessKeyCommand)
        .map((i) => i.AccessKeyId)
        .sort(),
    ).toEqual([OTHER, KEY].sort());
    const again = await executor.apply(all, await executor.read(all, ctx()), ctx());
    expect(again).toMatchObject({
      outcome: 'already-applied',
      details: { deactivated: [], alreadyInactive: [KEY, OTHER, OLD] },
    });
    expect(fake.mock).toReceiveCommandTimes(UpdateAccessKeyCommand, 2);
  });

  it('refuses a named key that is not the user’s, after deactivating the ones that are', async () => {
    const { action, executor } = setup();
    const foreign = { ...action, params: { ...action.params, accessKeyIds: [KEY, 'AKIAFOREIGNKEY000001'] } };
    const error = await executor.apply(foreign, await executor.read(foreign, ctx()), ctx()).catch((e) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect(error.message).toMatch(
      /AKIAFOREIGNKEY000001 do not belong to user mallory \(deactivated AKIAIOSFODNN7EXAMPLE\)/,
    );
    expect(statuses()[KEY]).toBe('Inactive');
  });

  it('undo reactivates only the keys that were Active before and skips keys deleted since', async () => {
    const { action, executor } = setup();
    const all = { ...action, params: { ...action.params, allKeys: true } };
    const before = await executor.read(all, ctx());
    await executor.apply(all, before, ctx());
    fake.users.get('mallory')?.keys.splice(1, 1); // a human deleted OTHER meanwhile
    const out = await executor.undo(all, before, ctx());
    expect(out).toEqual({ outcome: 'applied', details: { reactivated: [KEY], deletedSince: [OTHER] } });
    expect(statuses()).toEqual({ [KEY]: 'Active', [OLD]: 'Inactive' });
    expect(inputsOf(fake.mock, UpdateAccessKeyCommand).at(-1)).toEqual({
      UserName: 'mallory',
      AccessKeyId: KEY,
      Status: 'Active',
    });
    expect((await executor.undo(all, before, ctx())).outcome).toBe('already-applied');
  });

  it('for a user seen with a temporary (ASIA…) key, sets every key Inactive and undoes exactly that', async () => {
    fake = fakeIam();
    fake.user('mallory', [
      { id: KEY, status: 'Active' },
      { id: OTHER, status: 'Active' },
      { id: OLD, status: 'Inactive' },
    ]);
    // GetSessionToken credentials: GuardDuty shows the session's ASIA… key, not the AKIA… key that minted it.
    const session = user('mallory', 'ASIAQNZGKIQY56JQ7WML');
    const action = plannedOf('deactivate-access-keys', exfiltrationAlert({ principal: session }));
    expect(action.params).toEqual({ userName: 'mallory', accessKeyIds: [], allKeys: true });
    const executor = deactivateAccessKeys(homeClients);
    const before = await executor.read(action, ctx());
    await executor.apply(action, before, ctx());
    expect(statuses()).toEqual({ [KEY]: 'Inactive', [OTHER]: 'Inactive', [OLD]: 'Inactive' });
    expect(fake.mock).not.toReceiveCommand(DeleteAccessKeyCommand);

    await executor.undo(action, before, ctx());
    expect(statuses()).toEqual({ [KEY]: 'Active', [OTHER]: 'Active', [OLD]: 'Inactive' });
  });
});
