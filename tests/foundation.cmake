cs_test(test_sigmf_read SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/foundation/test_sigmf_read.c LABELS unit)
cs_test(test_psd SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/foundation/test_psd.c LABELS unit)
cs_test(test_bands SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/foundation/test_bands.c LABELS unit)
cs_test(test_raster_gsm SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/foundation/test_raster_gsm.c LABELS capture)
