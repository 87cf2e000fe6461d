/* Assertions for table-driven cmocka tests that say which row failed, and only when it does.
 * Include after <cmocka.h>. */
#ifndef TEST_CHECK_H
#define TEST_CHECK_H

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define CHECK_EQ(actual, expected, ...)                                                        \
	do {                                                                                   \
		uint64_t a_ = (actual), e_ = (expected);                                       \
		if (a_ != e_)                                                                  \
			print_message(__VA_ARGS__);                                            \
		assert_int_equal(a_, e_);                                                      \
	} while (0)

#define CHECK(cond, ...)                                                                       \
	do {                                                                                   \
		if (!(cond))                                                                   \
			print_message(__VA_ARGS__);                                            \
		assert_true(cond);                                                             \
	} while (0)

#endif
