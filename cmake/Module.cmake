# Warnings are errors everywhere; sanitizers are a build option.
set(CAREFORCE_WARNINGS -Wall -Wextra -Werror -Wno-error=deprecated-declarations)
if(CAREFORCE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# careforce_module(NAME DEPS a b ... LIBS x y ...)
# One static library per folder src/NAME; the explicit DEPS make the build enforce
# the direction of dependencies (apps -> server -> metrics, projection, ingest, store -> core).
function(careforce_module name)
  cmake_parse_arguments(ARG "" "" "DEPS;LIBS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  add_library(careforce_${name} STATIC ${sources})
  add_library(careforce::${name} ALIAS careforce_${name})
  target_include_directories(careforce_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(careforce_${name} PRIVATE ${CAREFORCE_WARNINGS})
  foreach(dep IN LISTS ARG_DEPS)
    target_link_libraries(careforce_${name} PUBLIC careforce::${dep})
  endforeach()
  target_link_libraries(careforce_${name} PUBLIC ${ARG_LIBS})
endfunction()

# careforce_test(NAME SOURCES... DEPS ...): one GoogleTest executable, registered with CTest.
function(careforce_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${CAREFORCE_WARNINGS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE
    CAREFORCE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    CAREFORCE_SHARED_DIR="${CAREFORCE_SHARED_DIR}"
    CAREFORCE_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ENVIRONMENT "CAREFORCE_CLI=$<TARGET_FILE:careforce>")
endfunction()
