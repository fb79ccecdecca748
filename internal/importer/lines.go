package importer

import (
	"bufio"
	"errors"
	"io"
)

// lineReader reads lines of any length with a bounded buffer. A line longer
// than max is consumed to its end and reported as too long, so one huge
// line costs neither memory nor the rest of the file (bufio.Scanner would
// stop the whole scan at its token limit).
type lineReader struct {
	r    *bufio.Reader
	max  int
	buf  []byte
	line int // number of the line last returned, from 1
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10), max: max}
}

// next returns the next line without its line ending (LF or CRLF), valid
// until the following call. size is the line's length in bytes without the
// line ending; tooLong reports size > max, in which case line is nil. At the
// end of the input next returns io.EOF (a last line without a newline is
// still a line).
func (lr *lineReader) next() (line []byte, size int, tooLong bool, err error) {
	lr.buf = lr.buf[:0]
	var prev byte // the byte before the last fragment, to spot a split "\r\n"
	for {
		frag, err := lr.r.ReadSlice('\n')
		size += len(frag)
		if !tooLong {
			if len(lr.buf)+len(frag) > lr.max+2 { // room for "\r\n"
				tooLong = true
				lr.buf = lr.buf[:0]
			} else {
				lr.buf = append(lr.buf, frag...)
			}
		}
		switch {
		case err == nil:
		case errors.Is(err, bufio.ErrBufferFull):
			prev = frag[len(frag)-1]
			continue
		case errors.Is(err, io.EOF):
			if size == 0 {
				return nil, 0, false, io.EOF
			}
		default:
			return nil, 0, false, err
		}
		lr.line++
		if tooLong {
			if n := len(frag); n > 0 && frag[n-1] == '\n' {
				size--
				if (n > 1 && frag[n-2] == '\r') || (n == 1 && prev == '\r') {
					size--
				}
			}
			return nil, size, true, nil
		}
		line = trimEOL(lr.buf)
		if len(line) > lr.max {
			return nil, len(line), true, nil
		}
		return line, len(line), false, nil
	}
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	return b
}
