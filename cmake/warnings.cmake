# Warnings every target of ours is built with. -Werror is switched on in CI
# (REGIOMAP_WERROR) so that a local build with a newer compiler still works.
function(regiomap_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                                           -Wnon-virtual-dtor -Wold-style-cast)
  if(REGIOMAP_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
