// The one catalog of EHR systems ehr-check knows: the slug used in plans and manifests, the name people use,
// the developer as ONC's CHPL spells it (for the certification lookup) and the vendor programs a vendor may
// claim a listing in. Names are matched loosely (case, punctuation, "Inc."/"LLC"), because plans are typed by people.

export interface CertificationProgram {
  id: string;
  name: string;
}

export interface SystemEntry {
  id: string;
  displayName: string;
  developer: string;
  /** The developer's name(s) exactly as CHPL lists them, old names included. */
  chplDeveloperNames: string[];
  certificationPrograms: CertificationProgram[];
  aliases: string[];
}

const entry = (
  id: string,
  displayName: string,
  developer: string,
  chplDeveloperNames: string[],
  aliases: string[],
  certificationPrograms: CertificationProgram[] = [],
): SystemEntry => ({ id, displayName, developer, chplDeveloperNames, certificationPrograms, aliases });

export const SYSTEMS: readonly SystemEntry[] = [
  entry('epic', 'Epic', 'Epic Systems Corporation', ['Epic Systems Corporation'],
    ['Epic Systems', 'EpicCare', 'Epic Hyperspace', 'Epic EHR'],
    [{ id: 'epic-showroom', name: 'Epic Showroom (formerly App Orchard)' }]),
  entry('oracle-health', 'Oracle Health (Cerner)', 'Oracle Health', ['Cerner Corporation', 'Cerner Health Services, Inc.', 'Oracle Health'],
    ['Cerner', 'Cerner Millennium', 'Oracle Health Millennium', 'Oracle Cerner', 'Oracle Health EHR', 'Millennium', 'PowerChart'],
    [{ id: 'oracle-health-code', name: 'Oracle Health Code program (formerly Cerner CODE)' }]),
  entry('athenahealth', 'athenahealth (athenaOne)', 'athenahealth, Inc.', ['athenahealth, Inc.'],
    ['athena', 'athenaOne', 'athenaClinicals', 'athenaNet', 'athenahealth Inc'],
    [{ id: 'athenahealth-marketplace', name: 'athenahealth Marketplace' }]),
  entry('eclinicalworks', 'eClinicalWorks', 'eClinicalWorks, LLC', ['eClinicalWorks, LLC'],
    ['eCW', 'eClinical Works', 'eClinicalWorks EHR'],
    [{ id: 'ecw-partner', name: 'eClinicalWorks Partner Program' }]),
  entry('meditech', 'MEDITECH', 'Medical Information Technology, Inc.', ['Medical Information Technology, Inc. (MEDITECH)'],
    ['MEDITECH Expanse', 'MEDITECH Greenfield', 'Medical Information Technology', 'Expanse'],
    [{ id: 'meditech-alliance', name: 'MEDITECH Alliance' }]),
  entry('nextgen', 'NextGen Healthcare', 'NextGen Healthcare', ['NextGen Healthcare', 'NextGen Healthcare, Inc.'],
    ['NextGen', 'NextGen Enterprise', 'NextGen Office', 'MediTouch', 'Quality Systems'],
    [{ id: 'nextgen-partner', name: 'NextGen Partner Program' }]),
  entry('veradigm', 'Veradigm (Allscripts)', 'Veradigm', ['Veradigm', 'Allscripts Healthcare, LLC'],
    ['Allscripts', 'Veradigm EHR', 'Allscripts Professional', 'Allscripts Professional EHR', 'FHIRPoint'],
    [{ id: 'veradigm-developer', name: 'Veradigm Developer Program (formerly Allscripts Developer Program)' }]),
  entry('careevolution', 'CareEvolution (HIEBus)', 'CareEvolution, Inc.', ['CareEvolution, Inc.'], ['CareEvolution', 'HIEBus']),
  entry('greenway', 'Greenway Health', 'Greenway Health, LLC', ['Greenway Health, LLC'],
    ['Greenway', 'Intergy', 'Prime Suite', 'Greenway Prime Suite'],
    [{ id: 'greenway-marketplace', name: 'Greenway Marketplace' }]),
  entry('practicefusion', 'Practice Fusion', 'Practice Fusion', ['Practice Fusion'], ['Practice Fusion EHR']),
  entry('modmed', 'ModMed (Modernizing Medicine)', 'Modernizing Medicine',
    ['Modernizing Medicine', 'Modernizing Medicine Gastroenterology, LLC', 'Modernizing Medicine Podiatry Systems, Inc.'],
    ['ModMed', 'Modernizing Medicine', 'EMA']),
  entry('elation', 'Elation Health', 'Elation Health, Inc.', ['Elation Health, Inc.'], ['Elation', 'Elation EHR']),
  entry('drchrono', 'DrChrono', 'drchrono Inc.', ['drchrono Inc.'], ['Dr Chrono', 'drchrono EHR'],
    [{ id: 'drchrono-app-directory', name: 'DrChrono App Directory' }]),
  entry('advancedmd', 'AdvancedMD', 'AdvancedMD', ['AdvancedMD'], ['Advanced MD', 'ADP AdvancedMD'],
    [{ id: 'advancedmd-marketplace', name: 'AdvancedMD Marketplace' }]),
  entry('tebra', 'Tebra (Kareo)', 'Tebra Technologies, Inc.', ['Tebra Technologies, Inc.', 'Kareo, Inc.'], ['Kareo', 'Tebra', 'PatientPop']),
  entry('netsmart', 'Netsmart', 'Netsmart Technologies', ['Netsmart Technologies'], ['myAvatar', 'myEvolv', 'myUnity', 'Netsmart CareFabric']),
  entry('pointclickcare', 'PointClickCare', 'PointClickCare Technologies Inc.', ['PointClickCare Technologies Inc.'], ['Point Click Care'],
    [{ id: 'pointclickcare-marketplace', name: 'PointClickCare Marketplace' }]),
  entry('cpsi', 'CPSI (TruBridge)', 'TruBridge, Inc.', ['Computer Programs and Systems, Inc.', 'Evident, LLC', 'TruBridge, Inc.'],
    ['CPSI', 'TruBridge', 'Evident', 'Thrive EHR', 'Computer Programs and Systems']),
  entry('altera', 'Altera Digital Health', 'Altera Digital Health Inc.', ['Altera Digital Health Inc.'],
    ['Altera', 'Sunrise', 'Allscripts Sunrise', 'Paragon', 'TouchWorks', 'Allscripts TouchWorks']),
  entry('medhost', 'MEDHOST', 'MEDHOST', ['MEDHOST'], ['MEDHOST Enterprise', 'YourCare']),
  entry('nextech', 'Nextech', 'Nextech', ['Nextech'], ['Nextech EHR', 'IntelleChartPRO']),
  entry('azalea', 'Azalea Health', 'Azalea Health', ['Azalea Health'], ['Azalea']),
  entry('qualifacts', 'Qualifacts', 'Qualifacts Systems, LLC', ['Qualifacts Systems, LLC'], ['CareLogic', 'Credible', 'InSync']),
  entry('caretracker', 'Harris CareTracker', 'Harris CareTracker, Inc', ['Harris CareTracker, Inc'], ['CareTracker']),
  entry('office-practicum', 'Office Practicum', 'Office Practicum', ['Office Practicum'], ['OP EHR', 'Office Practicum EHR']),
];

// Legal-form words that people add or drop freely ("Epic Systems Corporation" is "Epic Systems").
const LEGAL_FORMS = new Set(['inc', 'llc', 'corp', 'corporation', 'co', 'company', 'ltd', 'limited', 'lp', 'plc', 'the']);

/** "Epic Systems Corporation" → "epicsystems"; "athenahealth, Inc." → "athenahealth"; "e-CW" → "ecw". */
export function normalizeName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((word) => word !== '' && !LEGAL_FORMS.has(word));
  return words.join('');
}

function namesOf(system: SystemEntry): string[] {
  return [system.id, system.displayName, system.developer, ...system.chplDeveloperNames, ...system.aliases];
}

/** Every loose name → its system. Built once, on first lookup. */
let index: Map<string, SystemEntry> | undefined;
function byName(): Map<string, SystemEntry> {
  if (index) return index;
  index = new Map();
  for (const system of SYSTEMS) {
    for (const name of namesOf(system)) {
      const key = normalizeName(name);
      if (key !== '' && !index.has(key)) index.set(key, system);
    }
  }
  return index;
}

/** The system a slug, product name, developer name or alias refers to; undefined when unknown. */
export function resolveSystem(nameOrId: string): SystemEntry | undefined {
  const exact = SYSTEMS.find((system) => system.id === nameOrId);
  if (exact) return exact;
  const key = normalizeName(nameOrId);
  if (key === '') return undefined;
  const direct = byName().get(key);
  if (direct) return direct;
  // "Epic (Main Hospital)", "athenahealth (athenaOne)": a display name with a parenthesised product.
  const bare = normalizeName(nameOrId.replace(/\([^)]*\)/g, ' '));
  return bare !== '' ? byName().get(bare) : undefined;
}

/** A system's display name; an unknown id is shown as it is. */
export function displayName(id: string): string {
  return resolveSystem(id)?.displayName ?? id;
}

/** The catalog's entry for a certification program id, and the system it belongs to. */
export function findProgram(programId: string): { system: SystemEntry; program: CertificationProgram } | undefined {
  for (const system of SYSTEMS) {
    const program = system.certificationPrograms.find((p) => p.id === programId);
    if (program) return { system, program };
  }
  return undefined;
}
