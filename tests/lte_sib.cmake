# LTE control and shared channels up to SIB1 (dsp/lte: pcfich, pdcch, dci, ra, pdsch, dlsch, sib1;
# dsp/fec: qpp, turbo, ratematch).
set(LTE_SIB_DIR ${CMAKE_CURRENT_SOURCE_DIR}/lte_sib)
cs_test(test_lte_fec SOURCES ${LTE_SIB_DIR}/test_lte_fec.c LABELS unit)
cs_test(test_lte_dci SOURCES ${LTE_SIB_DIR}/test_lte_dci.c LABELS unit)
cs_test(test_lte_ctrl_map SOURCES ${LTE_SIB_DIR}/test_lte_ctrl_map.c LABELS unit)
cs_test(test_lte_sib1_uper SOURCES ${LTE_SIB_DIR}/test_lte_sib1_uper.c LABELS unit capture)
cs_test(test_lte_sib1_rx SOURCES ${LTE_SIB_DIR}/test_lte_sib1_rx.c ${LTE_SIB_DIR}/lte_tx.c LABELS unit)
cs_test(test_lte_sib1_capture SOURCES ${LTE_SIB_DIR}/test_lte_sib1_capture.c LABELS capture)
