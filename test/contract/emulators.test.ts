import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';

describe('test emulators', () => {
  it('serves Azurite blob and table endpoints on loopback', async () => {
    const { blobEndpoint, tableEndpoint } = inject('azurite');
    for (const url of [blobEndpoint, tableEndpoint]) {
      const res = await fetch(`${url}?comp=list`);
      expect(res.status).toBeLessThan(500);
    }
  });

  it('serves dynalite on loopback', async () => {
    const client = new DynamoDBClient({
      endpoint: inject('dynamodbEndpoint'),
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    expect(Array.isArray((await client.send(new ListTablesCommand({}))).TableNames)).toBe(true);
  });
});
