// The cards' dates come from the one module that formats dates for users.
export * from '../dates';
