import { commonSchemas } from './common';
import { questionnaireSchemas } from './questionnaire';
import { eprSchemas } from './epr';
import { deskSchemas } from './desk';
import { supportSchemas } from './support';
import questionnaire_section from './templates/questionnaire/section.json';
import questionnaire_missing from './templates/questionnaire/missing.json';
import questionnaire_sent from './templates/questionnaire/sent.json';
import epr_portal from './templates/epr/portal.json';
import epr_epr from './templates/epr/epr.json';
import epr_list from './templates/epr/list.json';
import desk_queue from './templates/desk/queue.json';
import desk_summary from './templates/desk/summary.json';
import desk_eprs from './templates/desk/eprs.json';
import desk_wait from './templates/desk/wait.json';
import support_ticket from './templates/support/ticket.json';
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
import privacy from './templates/common/privacy.json';
import eraseConfirm from './templates/common/eraseConfirm.json';
import confirm from './templates/common/confirm.json';

/** Every card: its template and the schema of its data. */
export const CARDS = {
  'common/welcome': { template: welcome, schema: commonSchemas.welcome },
  'common/recap': { template: recap, schema: commonSchemas.recap },
  'common/privacy': { template: privacy, schema: commonSchemas.privacy },
  'common/eraseConfirm': { template: eraseConfirm, schema: commonSchemas.eraseConfirm },
  'common/confirm': { template: confirm, schema: commonSchemas.confirm },
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
  'questionnaire/section': { template: questionnaire_section, schema: questionnaireSchemas.section },
  'questionnaire/missing': { template: questionnaire_missing, schema: questionnaireSchemas.missing },
  'questionnaire/sent': { template: questionnaire_sent, schema: questionnaireSchemas.sent },
  'epr/portal': { template: epr_portal, schema: eprSchemas.portal },
  'epr/epr': { template: epr_epr, schema: eprSchemas.epr },
  'epr/list': { template: epr_list, schema: eprSchemas.list },
  'desk/queue': { template: desk_queue, schema: deskSchemas.queue },
  'desk/summary': { template: desk_summary, schema: deskSchemas.summary },
  'desk/eprs': { template: desk_eprs, schema: deskSchemas.eprs },
  'desk/wait': { template: desk_wait, schema: deskSchemas.wait },
  'support/ticket': { template: support_ticket, schema: supportSchemas.ticket },
};
