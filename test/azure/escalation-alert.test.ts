import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ESCALATION_LOG_MESSAGE, type Escalation } from '../../functions-azure/executors/escalate.ts';

const template = JSON.parse(readFileSync('deploy/azure-escalation-alert.json', 'utf8'));
const rule = template.resources[0];
const [criterion] = rule.properties.criteria.allOf;

describe('deploy/azure-escalation-alert.json (the log alert that pages humans on Azure)', () => {
  it('is a log alert on Application Insights that fires the action group it is given', () => {
    expect(rule.type).toBe('Microsoft.Insights/scheduledQueryRules');
    expect(rule.properties.scopes).toEqual(["[parameters('appInsightsId')]"]);
    expect(rule.properties.actions.actionGroups).toEqual(["[parameters('actionGroupId')]"]);
    expect([criterion.operator, criterion.threshold, rule.properties.autoMitigate]).toEqual([
      'GreaterThan',
      0,
      false,
    ]);
  });

  it('queries the line the escalation executor writes, and the fields it has', () => {
    expect(criterion.query).toContain(`where tostring(e.msg) == "${ESCALATION_LOG_MESSAGE}"`);
    const fields: (keyof Escalation)[] = ['incidentId', 'summary', 'message'];
    for (const f of fields) expect(criterion.query).toContain(`e.${f}`);
    expect(criterion.query).toContain('e.message.subject');
  });

  it('alerts once per incident, with its subject and text in the notification', () => {
    expect(criterion.dimensions.map((d: { name: string }) => d.name)).toEqual([
      'incidentId',
      'subject',
      'summary',
    ]);
  });
});
