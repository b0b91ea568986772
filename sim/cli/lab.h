/*
 * lab.h - 'mxsim lab make|check': classroom labs with per-student
 * variants and answer keys (labs/README.md).
 */
#ifndef MX_CLI_LAB_H
#define MX_CLI_LAB_H

/* argv[0] is "lab"; returns the exit status: 0 ok (check: every answer
 * right), 1 some answer wrong, 2 bad input. */
int lab_main(int argc, char **argv);

#endif
