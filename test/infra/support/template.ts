import type { Template } from 'aws-cdk-lib/assertions';

/** A CloudFormation resource as it appears in the synthesized template. */
export interface CfnResourceJson {
  Type: string;
  Properties?: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export function resourcesOfType(template: Template, type: string): Record<string, CfnResourceJson> {
  return template.findResources(type) as Record<string, CfnResourceJson>;
}

export function resource(template: Template, id: string): CfnResourceJson {
  const found = (template.toJSON() as { Resources: Record<string, CfnResourceJson> }).Resources[id];
  if (!found) throw new Error(`No resource ${id} in the template`);
  return found;
}

/**
 * A readable name for an IAM resource entry: `Table` for `Fn::GetAtt [Table, Arn]`, `Table/index/gsi1` for the
 * `Fn::Join` CDK builds for an index ARN, the literal for a string (so a wildcard shows up as `*`).
 */
export function resourceKey(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v['Fn::GetAtt']) return String(v['Fn::GetAtt'][0]);
  if (v['Fn::Join'] && v['Fn::Join'][0] === '') return (v['Fn::Join'][1] as unknown[]).map(resourceKey).join('');
  if (v.Ref) return `Ref:${v.Ref}`;
  return JSON.stringify(value);
}

const asArray = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** Every statement of a role's inline policies. */
function statementsOfRole(template: Template, roleId: string): Record<string, any>[] {
  return Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter((policy) => (asArray(policy.Properties?.Roles) as { Ref?: string }[]).some((r) => r.Ref === roleId))
    .flatMap((policy) => asArray(policy.Properties?.PolicyDocument?.Statement) as Record<string, any>[]);
}

/**
 * Every `action on resource` pair a role's inline policies allow, e.g. `dynamodb:Query on DataTable/index/gsi1`.
 * Deny statements only take away (`deniesOfRole` lists them); any other statement that is not a plain Allow shows up
 * as `unexpected statement …`.
 */
export function grantsOfRole(template: Template, roleId: string): Set<string> {
  const grants = new Set<string>();
  for (const st of statementsOfRole(template, roleId)) {
    if (st.Effect === 'Deny') continue;
    if (st.Effect !== 'Allow' || st.Condition || st.NotAction || st.NotResource) {
      grants.add(`unexpected statement ${JSON.stringify(st)}`);
      continue;
    }
    for (const action of asArray<string>(st.Action)) {
      for (const res of asArray(st.Resource)) grants.add(`${action} on ${resourceKey(res)}`);
    }
  }
  return grants;
}

/** A role's Deny statements, resources named as `grantsOfRole` names them. */
export function deniesOfRole(
  template: Template,
  roleId: string,
): { actions: string[]; resources: string[]; condition: unknown }[] {
  return statementsOfRole(template, roleId)
    .filter((st) => st.Effect === 'Deny')
    .map((st) => ({
      actions: asArray<string>(st.Action).sort(),
      resources: asArray(st.Resource).map(resourceKey),
      condition: st.Condition,
    }));
}

export function grantSet(actions: readonly string[], resources: readonly string[]): string[] {
  return actions.flatMap((a) => resources.map((r) => `${a} on ${r}`));
}
