# cmake -DDIR=<folder> -DOUT=<file.cc> -DFUNCTION=<name> -P generate_migrations.cmake
#
# Writes a C++ file defining `std::span<const Migration> FUNCTION()` with every NNNN_name.sql of
# DIR, sorted by number. Fails on a badly named file, a duplicate number or an empty file.
cmake_minimum_required(VERSION 3.25)

foreach(_var DIR OUT FUNCTION)
  if(NOT DEFINED ${_var})
    message(FATAL_ERROR "generate_migrations: -D${_var}= is required")
  endif()
endforeach()

file(GLOB _files RELATIVE ${DIR} ${DIR}/*.sql)
list(SORT _files COMPARE NATURAL)
if(NOT _files)
  message(FATAL_ERROR "generate_migrations: no .sql files in ${DIR}")
endif()

set(_delim "warden_sql")
set(_entries "")
set(_seen "")
set(_previous 0)
foreach(_file ${_files})
  if(NOT _file MATCHES "^([0-9]+)_([A-Za-z0-9_]+)\\.sql$")
    message(FATAL_ERROR "generate_migrations: ${DIR}/${_file}: name must be NNNN_name.sql")
  endif()
  set(_name ${CMAKE_MATCH_2})
  string(REGEX REPLACE "^0+([0-9])" "\\1" _version "${CMAKE_MATCH_1}")
  if(_version IN_LIST _seen)
    message(FATAL_ERROR "generate_migrations: ${DIR}/${_file}: duplicate number ${_version}")
  endif()
  if(_version EQUAL 0)
    message(FATAL_ERROR "generate_migrations: ${DIR}/${_file}: numbers start at 1")
  endif()
  if(_version LESS_EQUAL _previous)
    message(FATAL_ERROR "generate_migrations: ${DIR}/${_file}: out of order after ${_previous}")
  endif()
  list(APPEND _seen ${_version})
  set(_previous ${_version})
  file(READ ${DIR}/${_file} _sql)
  string(STRIP "${_sql}" _stripped)
  if(_stripped STREQUAL "")
    message(FATAL_ERROR "generate_migrations: ${DIR}/${_file}: empty")
  endif()
  string(FIND "${_sql}" ")${_delim}\"" _clash)
  if(NOT _clash EQUAL -1)
    message(FATAL_ERROR "generate_migrations: ${DIR}/${_file} contains the delimiter )${_delim}\"")
  endif()
  string(APPEND _entries "    {${_version}, \"${_name}\", R\"${_delim}(${_sql})${_delim}\"},\n")
endforeach()

file(WRITE ${OUT} "// Generated from ${DIR} by generate_migrations.cmake. Do not edit.
#include <span>

#include \"store/migrations/migration.h\"

namespace warden {
namespace {

constexpr Migration kMigrations[] = {
${_entries}};

}  // namespace

std::span<const Migration> ${FUNCTION}() { return kMigrations; }

}  // namespace warden
")
