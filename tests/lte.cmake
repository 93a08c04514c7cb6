# LTE synchronisation/PBCH tests: sequences and PBCH chain from the specs (unit), captures (capture).
cs_test(test_lte_seq SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/lte/test_lte_seq.c LABELS unit)
cs_test(test_lte_pbch SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/lte/test_lte_pbch.c LABELS unit)
cs_test(test_lte_captures SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/lte/test_lte_captures.c LABELS capture)
cs_test(test_lte_real SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/lte/test_lte_real.c LABELS capture)
cs_test(test_lte_gsmtap SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/lte/test_lte_gsmtap.c LABELS e2e)
cs_test(test_lte_rates SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/lte/test_lte_rates.c LABELS capture)
cs_test(test_lte_sync_synth SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/lte/test_lte_sync_synth.c LABELS unit)
cs_test(test_lte_cfo_search SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/lte/test_lte_cfo_search.c LABELS e2e)
