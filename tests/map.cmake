# Coverage map tests (issue 6): grid, sites, import, exports, report, PostgreSQL fleet store.
cs_test(map_synth SOURCES map/test_map_synth.c map/synth.c LABELS unit)
target_include_directories(map_synth PRIVATE ${PROJECT_SOURCE_DIR}/tests/map)
add_executable(map_synth_gen map/synth_main.c map/synth.c)
target_link_libraries(map_synth_gen PRIVATE cs_app)
target_include_directories(map_synth_gen PRIVATE ${PROJECT_SOURCE_DIR}/tests/map)
