/* The C side of gocrash: a library that dereferences a bad pointer, on the calling thread
 * or on a thread of its own (as a Rust or C library's worker thread would). */
#ifndef GOCRASH_CRASH_H
#define GOCRASH_CRASH_H

/* Writes through a bad pointer on the calling thread; does not return. */
void gocrash_fault_here(void);

/* Starts a pthread that writes through a bad pointer and waits for it; does not return
 * unless the thread cannot be started (returns the pthread_create error number). */
int gocrash_fault_in_thread(void);

#endif
