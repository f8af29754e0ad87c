# slowscope_area_library(NAME <target> GLOBS <patterns...> [LINK <libs...>])
# One static library per top-level area, its sources picked up by folder so that a new
# concept is a new folder rather than a build edit. An area with no sources yet becomes an
# INTERFACE library so that the targets depending on it still configure.
function(slowscope_area_library)
  cmake_parse_arguments(ARG "" "NAME" "GLOBS;LINK" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${ARG_GLOBS})
  if(sources)
    add_library(${ARG_NAME} STATIC ${sources})
    target_link_libraries(${ARG_NAME} PUBLIC ${ARG_LINK})
  else()
    add_library(${ARG_NAME} INTERFACE)
    target_link_libraries(${ARG_NAME} INTERFACE ${ARG_LINK})
  endif()
endfunction()
