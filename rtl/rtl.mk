# rtl rules: see the top-level Makefile for the shared variables.
