// Package sqlquote writes caller-supplied names and values into SQL text
// for the statements that cannot take them as parameters: COPY (table,
// columns, options), LISTEN and UNLISTEN (channels), MOVE (cursor names).
//
// Identifier and TableName quote every name, so case and any character
// are kept and nothing the caller passes is read as SQL; Literal writes an
// escape string (E'...') that means the same whatever
// standard_conforming_strings is. SubstitutePlaceholders puts literals in
// place of $n outside string constants, quoted identifiers and comments,
// for COPY (query) TO with arguments.
package sqlquote
