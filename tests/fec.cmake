cs_test(test_viterbi SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fec/test_viterbi.c LABELS unit)
cs_test(test_crc SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/fec/test_crc.c LABELS unit)
