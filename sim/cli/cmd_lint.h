/*
 * cmd_lint.h - the commands "mxsim lint" and "mxsim explain" (cmd_lint.c).
 *
 * Each takes the arguments after "mxsim" (argv[0] is the command's name)
 * and returns the exit status.
 */
#ifndef MX_CMD_LINT_H
#define MX_CMD_LINT_H

/* mxsim lint FILE [--origin NAME] [--format text|json]: 0 nothing above
 * info, 1 a warning or an error, 2 bad input or command line. */
int cmd_lint(int argc, char **argv);

/* mxsim explain DOMAIN --zone FILE [--profile NAME] [--origin NAME]:
 * 0 explained, 2 bad input or command line. */
int cmd_explain(int argc, char **argv);

#endif
