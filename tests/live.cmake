# Live radio tests: hw/soapy.c through the simulated SoapySDR device (hw/sim), hotplug, memory
# source, record/devices/calibrate commands. No hardware needed.
set(CS_SIM_PLUGIN_PATH ${PROJECT_BINARY_DIR}/hw/sim)

function(cs_live_test name)
  cs_test(${name} ${ARGN})
  add_dependencies(${name} cellsurvey_sim)
  set_property(TEST ${name} APPEND PROPERTY ENVIRONMENT "SOAPY_SDR_PLUGIN_PATH=${CS_SIM_PLUGIN_PATH}")
endfunction()

cs_live_test(test_soapy_sim SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/live/test_soapy_sim.c LABELS unit)
cs_live_test(test_sim_faults SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/live/test_sim_faults.c LABELS unit)
cs_test(test_hotplug SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/live/test_hotplug.c LABELS unit)
cs_live_test(test_sim_shared SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/live/test_sim_shared.c LABELS capture)
cs_live_test(test_live_cmds SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/live/test_live_cmds.c LABELS e2e)
set_property(TEST test_live_cmds APPEND PROPERTY ENVIRONMENT "CELLSURVEY_DATA=${PROJECT_SOURCE_DIR}/data")
cs_live_test(test_calibrate_ppm SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/live/test_calibrate_ppm.c LABELS capture)
cs_test(test_quirks SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/live/test_quirks.c LABELS unit)
