/** French phone numbers (knowledge.md §3.1): national 0X XX XX XX XX, +33 or 0033 accepted. */
export type PhoneCheck = { status: 'valid'; value: string; mobile: boolean } | { status: 'invalid'; value: string };

export function checkFrenchPhone(input: string): PhoneCheck {
  let value = input.replace(/[\s.\-()/]/g, '');
  if (value.startsWith('+33')) value = `0${value.slice(3)}`;
  else if (value.startsWith('0033')) value = `0${value.slice(4)}`;
  if (value.startsWith('00')) return { status: 'invalid', value };
  if (!/^0[1-9]\d{8}$/.test(value)) return { status: 'invalid', value };
  // 06 and 07 are mobiles, and overseas mobiles (0639, 0690–0697) fall in 06 as well.
  return { status: 'valid', value, mobile: /^0[67]/.test(value) };
}

/** 06 12 34 56 78 */
export function formatPhone(value: string): string {
  return value.replace(/(\d{2})(?=\d)/g, '$1 ');
}
