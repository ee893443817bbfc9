// A complete, valid Serious Incident Notification for tests. The child's
// details are distinctive so a test can search any output for them.
export const CHILD_NAME = 'Zebedee Quillfeather';
export const CHILD_DOB = '2019-03-14';
export const NHS_NUMBER = '9434765919';

export function validReferral(overrides = {}) {
  return {
    referrer_name: 'Jo Bloggs',
    referrer_agency: 'Kingston Hospital',
    referrer_role: 'Named nurse for safeguarding',
    referrer_contact: 'jo.bloggs@nhs.example',
    aware_on: '2026-11-03',
    incident_date: '2026-11-02',
    incident_time: '21:40',
    incident_place: 'Family home',
    incident_borough: 'Kingston',
    summary: 'Child admitted with an unexplained skull fracture; mother\'s partner under police investigation.',
    immediate_safeguarding: 'Siblings placed with grandparents under a safety plan.',
    agencies_involved: ['Kingston Hospital', 'Metropolitan Police Service'],
    children: [{
      name: CHILD_NAME,
      date_of_birth: CHILD_DOB,
      nhs_number: NHS_NUMBER,
      gender: 'Male',
      ethnicity: 'White British',
      address: '12 Acacia Avenue, Kingston',
      borough: 'Kingston',
      legal_status: ['child_in_need'],
    }],
    parents: [{ name: 'Mary Quillfeather', parental_responsibility: true }],
    household: [{ relationship: 'Mother\'s partner', age_or_date_of_birth: '34' }],
    ...overrides,
  };
}

/** Every string of personal data in the fixture: none may appear where it should not. */
export const PERSONAL_STRINGS = [CHILD_NAME, CHILD_DOB, NHS_NUMBER, '12 Acacia Avenue', 'Mary Quillfeather', 'skull fracture'];
