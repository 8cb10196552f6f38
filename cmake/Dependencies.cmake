# Every dependency comes from a Debian package installed by scripts/setup.sh.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(fmt REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(LibArchive REQUIRED)
find_package(OpenSSL REQUIRED)
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
# cpp-httplib listens with a backlog of 5 by default: 32 clients connecting at once wait a
# second for a SYN retry. Every file that includes httplib.h sees the same value.
set_property(TARGET PkgConfig::HTTPLIB APPEND PROPERTY INTERFACE_COMPILE_DEFINITIONS
             CPPHTTPLIB_LISTEN_BACKLOG=128)
if(CAREFORCE_TESTS)
  find_package(GTest REQUIRED)
endif()
if(CAREFORCE_BENCH AND NOT CAREFORCE_SANITIZE)
  find_package(benchmark REQUIRED)
endif()
