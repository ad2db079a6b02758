# The build refuses an include that crosses the layers the wrong way: a
# folder may include its own headers and those of the folders listed before
# it, never one listed after it (core can never see http, api or app).
# Checked at configure time over every source, so a wrong include stops the
# build before anything compiles, with the file and line named.
function(regiomap_check_layering root)
  set(layers ${ARGN})
  list(LENGTH layers count)
  math(EXPR last "${count} - 1")
  foreach(index RANGE ${last})
    list(GET layers ${index} layer)
    math(EXPR above "${index} + 1")
    set(forbidden "")
    if(above LESS_EQUAL last)
      foreach(upper RANGE ${above} ${last})
        list(GET layers ${upper} name)
        list(APPEND forbidden ${name})
      endforeach()
    endif()
    if(NOT forbidden)
      continue()
    endif()
    list(JOIN forbidden "|" pattern)
    file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${root}/${layer}/*.cpp ${root}/${layer}/*.hpp)
    foreach(source ${sources})
      file(STRINGS ${source} lines REGEX "^#include \"(${pattern})/")
      foreach(line ${lines})
        file(RELATIVE_PATH shown ${PROJECT_SOURCE_DIR} ${source})
        message(SEND_ERROR "layering: ${shown} (${layer}) must not ${line}: "
                           "${layer} may include only ${layer}/ and the layers below it")
      endforeach()
    endforeach()
  endforeach()
endfunction()
