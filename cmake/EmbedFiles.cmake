# warden_embed_files(OUTPUT <file.cc> FUNCTION <name> FILES <f1> <f2> ...)
#
# Generates at build time a C++ source defining
#   std::vector<warden::EmbeddedFile> <name>();
# that returns every file's base name and contents, in the order given (sort FILES for a stable
# order). The source is regenerated whenever one of the files changes. Contents are written as
# byte arrays, so any bytes are safe.
set(WARDEN_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_files_script.cmake)

function(warden_embed_files)
  cmake_parse_arguments(ARG "" "OUTPUT;FUNCTION" "FILES" ${ARGN})
  string(REPLACE ";" "|" _files "${ARG_FILES}")
  add_custom_command(
    OUTPUT ${ARG_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${ARG_OUTPUT} -DFUNCTION=${ARG_FUNCTION}
            "-DFILES=${_files}" -P ${WARDEN_EMBED_SCRIPT}
    DEPENDS ${ARG_FILES} ${WARDEN_EMBED_SCRIPT}
    COMMENT "Embedding ${ARG_FUNCTION}"
    VERBATIM)
endfunction()
