/*
 * files.h - where a program finds its data files.
 */
#ifndef KB_FILES_H
#define KB_FILES_H

/* A directory of data (config fragments, gnuplot scripts): $env if set, else the source
 * tree's (a build run in place), else the installed one. */
const char *kb_data_dir(const char *env, const char *source, const char *installed);

#endif
