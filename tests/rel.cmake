# Reliability and security tests (issue 7): hostile samples, hostile files, durability, soak.
cs_test(test_hostile_samples SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/rel/test_hostile_samples.c
        ${CMAKE_CURRENT_SOURCE_DIR}/rel/hostile_gen.c LABELS unit hostile)
cs_script_test(hostile_files ${CMAKE_CURRENT_SOURCE_DIR}/rel/hostile_files.sh LABELS e2e hostile)
cs_script_test(packaging ${CMAKE_CURRENT_SOURCE_DIR}/rel/packaging.sh LABELS unit)
cs_script_test(kill9 ${CMAKE_CURRENT_SOURCE_DIR}/rel/kill9.sh LABELS e2e durability)
cs_script_test(diskfull ${CMAKE_CURRENT_SOURCE_DIR}/rel/diskfull.sh LABELS e2e durability)
cs_script_test(no_identities ${CMAKE_CURRENT_SOURCE_DIR}/rel/no_identities.sh LABELS e2e security)
cs_script_test(coarsen ${CMAKE_CURRENT_SOURCE_DIR}/rel/coarsen.sh LABELS e2e security)
cs_script_test(soak_ci ${CMAKE_CURRENT_SOURCE_DIR}/rel/soak_ci.sh LABELS soak)
if(TARGET cellsurvey_sim)
  set_property(TEST soak_ci APPEND PROPERTY ENVIRONMENT "CS_SIM_PLUGIN=${PROJECT_BINARY_DIR}/hw/sim")
endif()
