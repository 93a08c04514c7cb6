# Station and daemon tests: GPS (NMEA parser, gpsd through gpsfake), scan planner, daemon.
cs_test(test_nmea SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/daemon/test_nmea.c LABELS unit)
set_property(TEST test_nmea APPEND PROPERTY ENVIRONMENT "CS_DAEMON_TEST_DIR=${CMAKE_CURRENT_SOURCE_DIR}/daemon")
cs_test(test_gps_gpsd SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/daemon/test_gps_gpsd.c LABELS e2e)
set_property(TEST test_gps_gpsd APPEND PROPERTY ENVIRONMENT "CS_DAEMON_TEST_DIR=${CMAKE_CURRENT_SOURCE_DIR}/daemon")
cs_test(test_scan SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/daemon/test_scan.c LABELS unit)
cs_script_test(e2e_daemon ${CMAKE_CURRENT_SOURCE_DIR}/daemon/e2e_daemon.sh LABELS e2e)
cs_script_test(e2e_daemon_faults ${CMAKE_CURRENT_SOURCE_DIR}/daemon/e2e_daemon_faults.sh LABELS e2e)
