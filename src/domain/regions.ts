// ISO 3166 region codes: a country (ISO 3166-1 alpha-2, "US") or a
// subdivision (ISO 3166-2, "US-NC"). Countries are checked against the full
// list; subdivision suffixes by their shape (1-3 letters or digits), since
// the list of ~5,000 subdivisions changes yearly and a wrong rejection would
// lock a co-op out.
const COUNTRIES = new Set(
  (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO " +
    "JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR " +
    "MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO " +
    "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV " +
    "TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
  ).split(" "),
);

const REGION_PATTERN = /^([A-Z]{2})(?:-([A-Z0-9]{1,3}))?$/;

export function isRegionCode(value: string): boolean {
  const match = REGION_PATTERN.exec(value);
  return match !== null && COUNTRIES.has(match[1] as string);
}

/** `US` contains `US` and `US-NC`; `US-NC` contains only itself. */
export function regionContains(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(`${outer}-`);
}
