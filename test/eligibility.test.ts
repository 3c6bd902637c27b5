import { describe, expect, it } from 'vitest';
import { eligibilityVerdict, type EligibilityAnswers } from '../src/services/accreditation/specialties';

// The eligibility check ends with one verdict (knowledge.md §1.2, CSP D.4135-2).
const base: EligibilityAnswers = { physician: 'yes', specialty: 'anesthesie-reanimation', interventional: 'yes', establishment: 'yes', practice: 'individual' };

describe('the eligibility verdict', () => {
  it('is « concerned » for a listed specialty in an establishment, saying when the interventional practice is what makes it so (15°–21°)', () => {
    expect(eligibilityVerdict(base)).toEqual({ kind: 'concerned', interventional: false });
    expect(eligibilityVerdict({ ...base, interventional: 'no' })).toEqual({ kind: 'concerned', interventional: false });
    expect(eligibilityVerdict({ ...base, specialty: 'cardiologie' })).toEqual({ kind: 'concerned', interventional: true });
  });

  it('is « concerned if… » for what the user did not know, naming each point the expert will check', () => {
    expect(eligibilityVerdict({ ...base, establishment: 'unsure' })).toEqual({ kind: 'unsure', establishment: true, interventional: false });
    expect(eligibilityVerdict({ ...base, specialty: 'radiologie', interventional: 'unsure' })).toEqual({ kind: 'unsure', establishment: false, interventional: true });
    expect(eligibilityVerdict({ ...base, specialty: 'orl', interventional: 'unsure', establishment: 'unsure' })).toEqual({ kind: 'unsure', establishment: true, interventional: true });
    // Unsure of an interventional practice the specialty does not need: nothing left to check.
    expect(eligibilityVerdict({ ...base, interventional: 'unsure' })).toEqual({ kind: 'concerned', interventional: false });
  });

  it('is « not concerned » with the reason', () => {
    expect(eligibilityVerdict({ ...base, physician: 'no' })).toEqual({ kind: 'notConcerned', reason: 'notPhysician' });
    expect(eligibilityVerdict({ ...base, specialty: 'other' })).toEqual({ kind: 'notConcerned', reason: 'specialty' });
    expect(eligibilityVerdict({ ...base, specialty: 'pneumologie', interventional: 'no' })).toEqual({ kind: 'notConcerned', reason: 'notInterventional' });
    expect(eligibilityVerdict({ ...base, establishment: 'no' })).toEqual({ kind: 'notConcerned', reason: 'cabinetOnly' });
  });
});
