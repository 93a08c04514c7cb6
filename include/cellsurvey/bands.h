/* bands.h: channel rasters. GSM ARFCN <-> frequency (TS 45.005 clause 2) and LTE EARFCN <->
 * frequency (TS 36.101 clause 5.7.3, Table 5.7.3-1). ARFCN 512-810 is DCS1800 or PCS1900
 * depending on the band, so a GSM channel is identified by (band, ARFCN). */
#ifndef CELLSURVEY_BANDS_H
#define CELLSURVEY_BANDS_H

typedef enum {
  CS_GSM_NONE = 0,
  CS_GSM450, CS_GSM480, CS_GSM850, CS_PGSM900, CS_EGSM900, CS_RGSM900, CS_DCS1800, CS_PCS1900,
  CS_GSM_BAND_COUNT
} cs_gsm_band;

/* "GSM850", "GSM900" (P-, E- and R-GSM900 all report "GSM900" in records), "DCS1800", ... */
const char *cs_gsm_band_name(cs_gsm_band band);
/* Parse a band name as users type it: gsm850, pgsm900, egsm900, rgsm900, gsm900 (= egsm900),
 * dcs1800, pcs1900, gsm450, gsm480; case-insensitive. CS_GSM_NONE if unknown. */
cs_gsm_band cs_gsm_band_parse(const char *name);
/* Downlink frequency of an ARFCN in a band; 0 if the ARFCN is not in the band. */
double cs_gsm_arfcn_to_dl_hz(cs_gsm_band band, int arfcn);
double cs_gsm_arfcn_to_ul_hz(cs_gsm_band band, int arfcn);
/* ARFCN whose downlink is nearest to freq within +-100 kHz, in the given band (or, with
 * CS_GSM_NONE, the first band in the order R-GSM900, DCS1800, GSM850, PCS1900, GSM450, GSM480
 * that has one: R-GSM900 covers P and E). Returns -1 if none; *band_out gets the band. */
int cs_gsm_dl_hz_to_arfcn(double freq_hz, cs_gsm_band band, cs_gsm_band *band_out);
/* Downlink ARFCN range of a band. */
void cs_gsm_band_arfcns(cs_gsm_band band, int *first, int *last, int *first2, int *last2);

typedef struct {
  int band;           /* E-UTRA operating band number */
  int tdd;            /* 1 for TDD bands */
  double f_dl_low_mhz;/* F_DL_low */
  int n_offs_dl;      /* N_Offs-DL */
  int n_dl_first, n_dl_last;
  double f_ul_low_mhz;
  int n_offs_ul;
  int n_ul_first, n_ul_last;
} cs_lte_band_info;

/* Table 5.7.3-1 row for a band, NULL if the band is unknown. */
const cs_lte_band_info *cs_lte_band(int band);
/* All rows, in table order. */
const cs_lte_band_info *cs_lte_bands(int *count);
/* Downlink frequency of an EARFCN (F_DL = F_DL_low + 0.1 (N_DL - N_Offs-DL)); 0 if invalid. */
double cs_lte_earfcn_to_dl_hz(int earfcn, int *band_out);
/* EARFCN for a downlink frequency on the 100 kHz raster (+-1 kHz), preferring band hint if > 0;
 * -1 if off-raster or in no band. */
int cs_lte_dl_hz_to_earfcn(double freq_hz, int band_hint, int *band_out);

#endif
