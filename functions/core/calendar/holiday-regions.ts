/**
 * The places whose public holidays the calendar knows, as config validation needs them: a country (ISO 3166-1
 * alpha-2, `DE`) or one of its states or provinces (ISO 3166-2, `DE-BY`, `GB-ENG`, `US-CA`), where holidays differ
 * by state (England's summer bank holiday is not Scotland's).
 *
 * The lists are date-holidays 3.37.0's (`new Holidays().getCountries()` and `getStates(country)`), copied here so
 * that validating a config does not load the library's 1.5 MB of holiday rules into every Lambda that parses one;
 * test/core/calendar/holiday-regions.test.ts compares them with the installed library, so an update that adds or
 * drops a place fails there. Korea (KR) is served by @hyunbinseo/holidays-kr (public-holidays.ts) and is in
 * date-holidays' list too.
 */

/** Countries, space-separated. */
const COUNTRIES = `
AD AE AG AI AL AM AO AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI
FJ FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GT GU GW GY HK HN HR HT HU IC ID IE IL IM IN IR
IS IT JE JM JP KE KM KN KR KY KZ LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MK ML MQ MR MS MT MU
MW MX MY MZ NA NC NE NF NG NI NL NO NZ PA PE PF PH PK PL PM PR PT PY RE RO RS RU RW SA SC SD SE SG
SH SI SJ SK SL SM SN SO SR SS ST SV SX SZ TC TD TG TH TN TO TR TT TW TZ UA UG US UY UZ VA VC VE VG
VI VN VU WF XK YT ZA ZM ZW`;

/** States or provinces of the countries that have holidays of their own, space-separated. */
const STATES: Readonly<Record<string, string>> = {
  AD: '03 07',
  AG: '10',
  AT: '1 2 3 4 5 6 7 8 9',
  AU: 'ACT NSW NT QLD SA TAS VIC WA',
  BA: 'BIH BRC SRP',
  BE: 'BRU DE VLG WAL',
  BO: 'B C H L N O P S T',
  BQ: 'BO SA SE',
  BR: 'AC AL AM AP BA CE DF ES GO MA MG MS MT PA PB PE PI PR RJ RN RO RR RS SC SE SP TO',
  CA: 'AB BC MB NB NL NS NT NU ON PE QC SK YT',
  CH: 'ZH BE LU UR SZ OW NW GL ZG FR SO BS BL SH AR AI SG GR AG TG TI VD VS NE GE JU',
  CK: 'Aitutaki Atiu Mangaia Manihiki Mitiaro Palmerston Penrhyn Pukapuka Rakahanga Rarotonga',
  CL: 'AP BI NU TA',
  CV: 'S',
  DE: 'BB BE BW BY HB HE HH MV NI NW RP SH SL SN ST TH',
  EC: 'P',
  ES: 'AN AR AS CB CE CL CM CN CT EX GA IB MC MD ML NC PV RI VC',
  FR: '57 67 68 YT MQ GP GF RE MF BL',
  GB: 'ALD ENG NIR SCT WLS',
  GT: '1',
  HR: '17 19',
  IC: 'EH FU GC LG LP LA TE',
  IN: 'AN AP AR AS BR CH CT DD DL DN GA GJ HP HR JK KA KL LD MH ML MN MP MZ NL OR PB PY RJ SK TG TN TR UP UT WB',
  IT: '21 25 32 52 62 82',
  MD: 'CA CU',
  MY: '10 11 12 13 14 15 16 01 02 03 04 05 06 07 08 09',
  NL: 'GR NH ZH',
  NZ: 'AUK BOP CAN CIT GIS HKB MBH MWT NSN NTL OTA STL TAS TKI WKO WGN WTC',
  PE: 'CUS',
  PK: 'BA GB IS JK KP PB SD',
  RU: 'AD AL BA BEL BRY BU CE CR CU DA IN IRK KB KC KDA KL KO KR MR NO OMS PNZ SA SAR SEV STA TA TY ZAB',
  SH: 'AC HL TA',
  SO: 'AW SA SO TO WO',
  SV: 'SS',
  US: 'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY',
  VE: 'B G K M N S V',};

export const HOLIDAY_COUNTRIES: ReadonlySet<string> = new Set(COUNTRIES.trim().split(/\s+/));

/** Subdivision codes (the part after the dash) of a country, empty when it has none of its own. */
export function holidayStates(country: string): readonly string[] {
  const states = STATES[country];
  return states === undefined ? [] : states.split(' ');
}

/** `KR`, `DE-BY`: a place whose public holidays are known. */
export function isHolidayRegion(code: string): boolean {
  const [country, state, ...rest] = code.split('-');
  if (country === undefined || rest.length > 0 || !HOLIDAY_COUNTRIES.has(country)) return false;
  return state === undefined || holidayStates(country).includes(state);
}
