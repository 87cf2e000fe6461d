/* junit.xml checks shared by the unit test (test_report) and the integration test
 * (test_reports): well-formed, valid against tests/report/junit.xsd (the subset the runner
 * promises), and XPath assertions. Include after <cmocka.h> and libxml2's headers. */
#ifndef JUNIT_CHECK_H
#define JUNIT_CHECK_H

#define JUNIT_XSD "tests/report/junit.xsd"

static char *xpath_str(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	char *s = (char *)xmlXPathCastToString(o);

	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return s;
}

static void assert_xpath(xmlDocPtr doc, const char *expr, const char *want)
{
	char *got = xpath_str(doc, expr);

	if (strcmp(got, want) != 0) {
		print_message("junit.xml: %s = \"%s\", expected \"%s\"\n", expr, got, want);
		xmlFree(got);
		fail();
	}
	xmlFree(got);
}

/* Parses path (no network) and validates it against the schema; fails the test otherwise. */
static xmlDocPtr junit_validate(const char *path)
{
	xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(JUNIT_XSD);
	xmlSchemaPtr schema = xmlSchemaParse(pc);
	xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);

	if (!doc || !schema || xmlSchemaValidateDoc(vc, doc) != 0) {
		print_message("%s: not well-formed or not valid against %s\n", path, JUNIT_XSD);
		fail();
	}
	xmlSchemaFreeValidCtxt(vc);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pc);
	return doc;
}

#endif
