# Included from bench/CMakeLists.txt. warden_accuracy: detection and false-positive rates of a
# policy set on a labeled JSON Lines corpus (see accuracy_main.cc for usage).
add_executable(warden_accuracy ${CMAKE_CURRENT_LIST_DIR}/accuracy_main.cc)
target_include_directories(warden_accuracy PRIVATE ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(warden_accuracy PRIVATE warden_warnings warden_app warden_ingest
                      warden_detect warden_normalize warden_model warden_common Boost::json)
