# .ci/h2o-static.cmake - builds h2o's libh2o-evloop.a from Debian 12's own source package
# (the version libh2o-evloop-dev installs, with Debian's patches) for awsemu to link statically.
#
#   cmake -DPREFIX=/usr/local/lib/awsemu -P .ci/h2o-static.cmake      (.ci/deps build runs it)
#
# Why: Debian ships h2o only as a shared library, and it needs the shared libssl and libcrypto,
# whose ~5,000 symbol bindings the dynamic loader performs at every exec: about 3 ms of awsemu's
# start-up on our machines, more than the rest of it together (issue 2: ready in <= 5 ms). Linked
# statically, with OpenSSL's own static archives, the binary needs only libc at exec.
# Only cmake and the build-essential tools are used (cmake downloads and unpacks; patch applies
# Debian's series), so the Docker build stage runs it unchanged. The archive's hashes are pinned.
cmake_minimum_required(VERSION 3.18)
if(NOT PREFIX)
  set(PREFIX /usr/local/lib/awsemu)
endif()
set(version 2.2.5+dfsg2)
set(debian_rev 7)
# Ours after Debian's: .ci/h2o-*.patch (each says why at its top); they name the stamp, so a
# changed patch builds the archive again.
file(GLOB our_patches ${CMAKE_CURRENT_LIST_DIR}/h2o-*.patch)
set(patch_ids "")
foreach(p IN LISTS our_patches)
  file(SHA256 ${p} h)
  string(SUBSTRING ${h} 0 8 h)
  string(APPEND patch_ids "-${h}")
endforeach()
set(stamp ${PREFIX}/h2o-${version}-${debian_rev}${patch_ids}.stamp)
if(EXISTS ${stamp} AND EXISTS ${PREFIX}/libh2o-evloop.a)
  return()
endif()
file(GLOB old_stamps ${PREFIX}/h2o-*.stamp)
if(old_stamps)
  file(REMOVE ${old_stamps})
endif()

set(pool http://deb.debian.org/debian/pool/main/h/h2o)
set(work ${CMAKE_CURRENT_LIST_DIR}/../build-h2o)
file(REMOVE_RECURSE ${work})
file(MAKE_DIRECTORY ${work})
foreach(pair
    "h2o_${version}.orig.tar.xz=a46894bd85da6528d4ad90ce0443b48118718296175061a1a1156e9e3af60a0d"
    "h2o_${version}-${debian_rev}.debian.tar.xz=cdac721373a73bd6a94707cfa90ea0ac25cf33898727f7137dd9acdb351f2964")
  string(REPLACE "=" ";" kv ${pair})
  list(GET kv 0 name)
  list(GET kv 1 sha)
  file(DOWNLOAD ${pool}/${name} ${work}/${name} EXPECTED_HASH SHA256=${sha} STATUS st)
  list(GET st 0 code)
  if(NOT code EQUAL 0)
    message(FATAL_ERROR "h2o-static: downloading ${pool}/${name} failed: ${st}")
  endif()
  file(ARCHIVE_EXTRACT INPUT ${work}/${name} DESTINATION ${work}/src)
endforeach()

set(src ${work}/src/h2o-${version})
file(RENAME ${work}/src/debian ${src}/debian)
file(STRINGS ${src}/debian/patches/series patches REGEX "^[^#]")
list(TRANSFORM patches PREPEND ${src}/debian/patches/)
foreach(p IN LISTS patches our_patches)
  execute_process(COMMAND patch -p1 -s -i ${p} WORKING_DIRECTORY ${src} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "h2o-static: patch ${p} did not apply")
  endif()
endforeach()

# Debian's own configuration, less mruby and the shared library; no position-independent code
# (awsemu is not PIE: nothing to relocate at exec).
include(ProcessorCount)
ProcessorCount(jobs)
execute_process(COMMAND ${CMAKE_COMMAND} -S ${src} -B ${work}/build -DCMAKE_BUILD_TYPE=Release
                  -DWITH_BUNDLED_SSL=OFF -DWITH_MRUBY=OFF -DBUILD_SHARED_LIBS=OFF -DCMAKE_POSITION_INDEPENDENT_CODE=OFF
                  "-DCMAKE_C_FLAGS=-O2 -fno-pie -w" -Wno-dev
                OUTPUT_VARIABLE log ERROR_VARIABLE log RESULT_VARIABLE rc)
if(rc EQUAL 0)
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${work}/build --target libh2o-evloop -j ${jobs}
                  OUTPUT_VARIABLE log ERROR_VARIABLE log RESULT_VARIABLE rc)
endif()
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "h2o-static: building libh2o-evloop.a failed:\n${log}")
endif()
file(INSTALL ${work}/build/libh2o-evloop.a DESTINATION ${PREFIX})
file(TOUCH ${stamp})
file(REMOVE_RECURSE ${work})
message(STATUS "h2o-static: installed ${PREFIX}/libh2o-evloop.a (h2o ${version}-${debian_rev})")
