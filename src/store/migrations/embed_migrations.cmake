# warden_embed_migrations(OUTPUT_VAR <var> DIR <folder> FUNCTION <name>)
#
# Embeds the numbered migrations of one backend into a generated .cc file. DIR holds files named
# NNNN_name.sql; the generated file defines `std::span<const Migration> <FUNCTION>()` (declared in
# store/migrations/migration.h) returning them sorted by number. The file is regenerated when a
# .sql file changes, and the build re-configures when one is added or removed. Used once per
# backend folder (sqlite/, later postgres/).
set(_WARDEN_MIGRATIONS_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/generate_migrations.cmake)

function(warden_embed_migrations)
  cmake_parse_arguments(ARG "" "OUTPUT_VAR;DIR;FUNCTION" "" ${ARGN})
  if(NOT ARG_OUTPUT_VAR OR NOT ARG_DIR OR NOT ARG_FUNCTION)
    message(FATAL_ERROR "warden_embed_migrations: OUTPUT_VAR, DIR and FUNCTION are required")
  endif()
  file(GLOB _sql CONFIGURE_DEPENDS ${ARG_DIR}/*.sql)
  get_filename_component(_backend ${ARG_DIR} NAME)
  set(_out ${CMAKE_CURRENT_BINARY_DIR}/migrations_${_backend}.cc)
  add_custom_command(
    OUTPUT ${_out}
    COMMAND ${CMAKE_COMMAND} -DDIR=${ARG_DIR} -DOUT=${_out} -DFUNCTION=${ARG_FUNCTION}
            -P ${_WARDEN_MIGRATIONS_SCRIPT}
    DEPENDS ${_sql} ${_WARDEN_MIGRATIONS_SCRIPT}
    COMMENT "Embedding ${_backend} migrations"
    VERBATIM)
  set(${ARG_OUTPUT_VAR} ${_out} PARENT_SCOPE)
endfunction()
