# Installation layout and the Debian package (CPack DEB), used by
# scripts/package. Paths are those of the Debian package:
#   /usr/bin/regiomap                      the server (and `regiomap export`)
#   /usr/share/regiomap/{data,web,styles}  the Beichen data set, the web map, styles and glyphs
#   /etc/regiomap/regiomap.conf            the service's configuration (a conffile)
#   /lib/systemd/system/regiomap.service   the hardened unit; /etc/logrotate.d/regiomap
#   /usr/share/man/man1/regiomap.1.gz      made from --help with help2man
set(REGIOMAP_PACKAGING ${PROJECT_SOURCE_DIR}/packaging/debian)

install(TARGETS regiomap RUNTIME DESTINATION bin)

install(FILES ${PROJECT_SOURCE_DIR}/geodata/beichen.gpkg DESTINATION share/regiomap/data)
install(FILES ${PROJECT_SOURCE_DIR}/web/index.html ${PROJECT_SOURCE_DIR}/web/app.css
              ${PROJECT_SOURCE_DIR}/web/config.json ${PROJECT_SOURCE_DIR}/web/favicon.svg
        DESTINATION share/regiomap/web)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/web/src DESTINATION share/regiomap/web)
# Only what the page loads of its npm packages, with their licences.
foreach(module leaflet protomaps-leaflet)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/web/node_modules/${module}/dist
          DESTINATION share/regiomap/web/node_modules/${module})
  install(FILES ${PROJECT_SOURCE_DIR}/web/node_modules/${module}/LICENSE
          DESTINATION share/regiomap/web/node_modules/${module})
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/styles/beichen.json ${PROJECT_SOURCE_DIR}/styles/beichen-qgis.json
        DESTINATION share/regiomap/styles)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/styles/glyphs DESTINATION share/regiomap/styles)

install(FILES ${REGIOMAP_PACKAGING}/regiomap.conf DESTINATION /etc/regiomap)
install(FILES ${REGIOMAP_PACKAGING}/regiomap.logrotate DESTINATION /etc/logrotate.d RENAME regiomap)
install(FILES ${REGIOMAP_PACKAGING}/regiomap.service DESTINATION /lib/systemd/system)

# Documentation: copyright, changelog (gzip -n: no timestamp), README, data notes, man page.
set(REGIOMAP_DOC_STAGE ${CMAKE_BINARY_DIR}/package-doc)
add_custom_command(
  OUTPUT ${REGIOMAP_DOC_STAGE}/changelog.gz ${REGIOMAP_DOC_STAGE}/regiomap.1.gz
  COMMAND ${REGIOMAP_PACKAGING}/make-docs $<TARGET_FILE:regiomap> ${PROJECT_VERSION} ${REGIOMAP_PACKAGING}/changelog
          ${REGIOMAP_DOC_STAGE}
  DEPENDS regiomap ${REGIOMAP_PACKAGING}/changelog ${REGIOMAP_PACKAGING}/make-docs
  COMMENT "man page (help2man) and changelog for the package")
add_custom_target(package_docs ALL DEPENDS ${REGIOMAP_DOC_STAGE}/changelog.gz ${REGIOMAP_DOC_STAGE}/regiomap.1.gz)
install(FILES ${REGIOMAP_PACKAGING}/copyright ${REGIOMAP_DOC_STAGE}/changelog.gz ${PROJECT_SOURCE_DIR}/README.md
              ${PROJECT_SOURCE_DIR}/geodata/ATTRIBUTION
        DESTINATION share/doc/regiomap)
install(FILES ${REGIOMAP_DOC_STAGE}/regiomap.1.gz DESTINATION share/man/man1)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME regiomap)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "regiomap developers <regiomap@users.noreply.github.com>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "map server for regional infrastructure projects")
set(CPACK_PACKAGE_DESCRIPTION
    "regiomap serves any vector data source GDAL reads (GeoPackage, GeoJSON,\n"
    "FlatGeobuf, Shapefile, PostGIS) through OGC API - Features (GeoJSON) and as\n"
    "Mapbox Vector Tiles with TileJSON and MapLibre styles, with a Leaflet web\n"
    "map on top. `regiomap export` writes PMTiles and MBTiles archives, which it\n"
    "can also serve, with an offline basemap. It ships the Beichen District\n"
    "(Tianjin) 2020 programme as its example data set and runs as a hardened\n"
    "systemd service.")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/regiomap/regiomap")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "logrotate")
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${REGIOMAP_PACKAGING}/conffiles ${REGIOMAP_PACKAGING}/postinst ${REGIOMAP_PACKAGING}/prerm
    ${REGIOMAP_PACKAGING}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
