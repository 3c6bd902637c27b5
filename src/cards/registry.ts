import { commonSchemas } from './common';
import { centreSchemas, medimailSchemas } from './medimail';
import medimail_orientation from './templates/medimail/orientation.json';
import medimail_types from './templates/medimail/types.json';
import medimail_connection from './templates/medimail/connection.json';
import medimail_region from './templates/medimail/region.json';
import medimail_ways from './templates/medimail/ways.json';
import medimail_form from './templates/medimail/form.json';
import medimail_waiting from './templates/medimail/waiting.json';
import medimail_resendConfirmation from './templates/medimail/resendConfirmation.json';
import medimail_path from './templates/medimail/path.json';
import medimail_finalise from './templates/medimail/finalise.json';
import medimail_finaliseRecap from './templates/medimail/finaliseRecap.json';
import medimail_hub from './templates/medimail/hub.json';
import medimail_rppsUpdate from './templates/medimail/rppsUpdate.json';
import medimail_orgMailbox from './templates/medimail/orgMailbox.json';
import centre_queue from './templates/centre/queue.json';
import centre_summary from './templates/centre/summary.json';
import { accreditationSchemas } from './accreditation';
import accreditation_entry from './templates/accreditation/entry.json';
import accreditation_eligibility from './templates/accreditation/eligibility.json';
import accreditation_notEligible from './templates/accreditation/notEligible.json';
import accreditation_registration from './templates/accreditation/registration.json';
import accreditation_hub from './templates/accreditation/hub.json';
import accreditation_resend from './templates/accreditation/resend.json';
import accreditation_resendByNumber from './templates/accreditation/resendByNumber.json';
import accreditation_signInWait from './templates/accreditation/signInWait.json';
import accreditation_adminFile from './templates/accreditation/adminFile.json';
import accreditation_adminRecap from './templates/accreditation/adminRecap.json';
import welcome from './templates/common/welcome.json';
import recap from './templates/common/recap.json';

/** Every card: its template and the schema of its data. */
export const CARDS = {
  'common/welcome': { template: welcome, schema: commonSchemas.welcome },
  'common/recap': { template: recap, schema: commonSchemas.recap },
  'accreditation/entry': { template: accreditation_entry, schema: accreditationSchemas.entry },
  'accreditation/eligibility': { template: accreditation_eligibility, schema: accreditationSchemas.eligibility },
  'accreditation/notEligible': { template: accreditation_notEligible, schema: accreditationSchemas.notEligible },
  'accreditation/registration': { template: accreditation_registration, schema: accreditationSchemas.registration },
  'accreditation/hub': { template: accreditation_hub, schema: accreditationSchemas.hub },
  'accreditation/resend': { template: accreditation_resend, schema: accreditationSchemas.resend },
  'accreditation/resendByNumber': { template: accreditation_resendByNumber, schema: accreditationSchemas.resendByNumber },
  'accreditation/signInWait': { template: accreditation_signInWait, schema: accreditationSchemas.signInWait },
  'accreditation/adminFile': { template: accreditation_adminFile, schema: accreditationSchemas.adminFile },
  'accreditation/adminRecap': { template: accreditation_adminRecap, schema: accreditationSchemas.adminRecap },
  'medimail/orientation': { template: medimail_orientation, schema: medimailSchemas.orientation },
  'medimail/types': { template: medimail_types, schema: medimailSchemas.types },
  'medimail/connection': { template: medimail_connection, schema: medimailSchemas.connection },
  'medimail/region': { template: medimail_region, schema: medimailSchemas.region },
  'medimail/ways': { template: medimail_ways, schema: medimailSchemas.ways },
  'medimail/form': { template: medimail_form, schema: medimailSchemas.form },
  'medimail/waiting': { template: medimail_waiting, schema: medimailSchemas.waiting },
  'medimail/resendConfirmation': { template: medimail_resendConfirmation, schema: medimailSchemas.resendConfirmation },
  'medimail/path': { template: medimail_path, schema: medimailSchemas.path },
  'medimail/finalise': { template: medimail_finalise, schema: medimailSchemas.finalise },
  'medimail/finaliseRecap': { template: medimail_finaliseRecap, schema: medimailSchemas.finaliseRecap },
  'medimail/hub': { template: medimail_hub, schema: medimailSchemas.hub },
  'medimail/rppsUpdate': { template: medimail_rppsUpdate, schema: medimailSchemas.rppsUpdate },
  'medimail/orgMailbox': { template: medimail_orgMailbox, schema: medimailSchemas.orgMailbox },
  'centre/queue': { template: centre_queue, schema: centreSchemas.queue },
  'centre/summary': { template: centre_summary, schema: centreSchemas.summary },
};
