# Coverage map tests (issue 6): grid, sites, import, exports, report, PostgreSQL fleet store.
cs_test(map_synth SOURCES map/test_map_synth.c map/synth.c LABELS unit)
target_include_directories(map_synth PRIVATE ${PROJECT_SOURCE_DIR}/tests/map)
add_executable(map_synth_gen map/synth_main.c map/synth.c)
target_link_libraries(map_synth_gen PRIVATE cs_app)
target_include_directories(map_synth_gen PRIVATE ${PROJECT_SOURCE_DIR}/tests/map)
cs_script_test(map_e2e ${CMAKE_CURRENT_SOURCE_DIR}/map/e2e_map.sh LABELS e2e)
cs_script_test(map_report ${CMAKE_CURRENT_SOURCE_DIR}/map/e2e_report.sh LABELS e2e)
cs_script_test(map_pg ${CMAKE_CURRENT_SOURCE_DIR}/map/e2e_pg.sh LABELS e2e)
