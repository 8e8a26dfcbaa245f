/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_TEST_XML_CHECK_H
#define IRONPASS_TEST_XML_CHECK_H

/*
 * XML checks through xmllint (libxml2-utils, installed by `make deps`), run
 * with the project's runner on the text given on standard input. A missing
 * xmllint fails the test (it does not skip it).
 */

/* 0 when @xml is well-formed (xmllint --noout), else xmllint's exit status. */
int xml_check_wellformed(const char *xml);

/*
 * The result of XPath expression @expr (a string(), count() or boolean()
 * expression) over @xml, without the trailing newline, malloc'ed; NULL when
 * xmllint fails.
 */
char *xml_xpath(const char *xml, const char *expr);

/*
 * An XPath location path for the unattend file's namespaced elements, each
 * step matched by local-name(): "windowsPE", "Microsoft-Windows-Setup",
 * "ImageInstall/OSImage" selects the OSImage element below ImageInstall in
 * the Microsoft-Windows-Setup component of the windowsPE settings. A step
 * may carry a predicate: "Path[.='D:\x']" keeps it after the name test.
 * Static buffer, one per @slot (0..3).
 */
const char *xml_unattend_path(int slot, const char *pass, const char *component,
			      const char *rest);

#endif
