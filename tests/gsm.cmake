# GSM: unit tests of the receive chain blocks, SI parsers, captures, GSMTAP.
cs_test(test_gsm_phy SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/gsm/test_gsm_phy.c LABELS unit)
cs_test(test_gsm_si SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/gsm/test_gsm_si.c LABELS unit)
cs_test(test_gsm_captures SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/gsm/test_gsm_captures.c LABELS capture)
cs_test(test_gsmtap SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/gsm/test_gsmtap.c LABELS e2e)
cs_test(test_gsm_rates SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/gsm/test_gsm_rates.c LABELS capture)
cs_test(test_gsm_adjacent SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/gsm/test_gsm_adjacent.c LABELS capture)
cs_test(test_gsm_si2q_e2e SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/gsm/test_gsm_si2q_e2e.c LABELS e2e)
