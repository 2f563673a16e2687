# Included from bench/CMakeLists.txt (after find_package(benchmark)).
add_executable(detectors_bench detectors_bench.cc)
target_include_directories(detectors_bench PRIVATE ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(detectors_bench PRIVATE warden_warnings warden_detectors warden_common
                      benchmark::benchmark)
