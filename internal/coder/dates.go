package coder

import (
	"strconv"
	"strings"
	"time"

	"github.com/actorgraph/actorgraph/internal/kg"
)

// A dateExpr is a date expression found in a sentence: tokens [from, to) and
// the date it resolves to against the document's date.
type dateExpr struct {
	from, to int
	date     kg.Date
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

var months = map[string]time.Month{
	"january": 1, "jan.": 1, "february": 2, "feb.": 2, "march": 3, "mar.": 3, "april": 4, "apr.": 4,
	"may": 5, "june": 6, "jun.": 6, "july": 7, "jul.": 7, "august": 8, "aug.": 8,
	"september": 9, "sept.": 9, "sep.": 9, "october": 10, "oct.": 10, "november": 11, "nov.": 11,
	"december": 12, "dec.": 12,
}

func isWeekday(w string) bool { _, ok := weekdays[w]; return ok }

func day(t time.Time) kg.Date {
	return kg.Date{Date: t.Format(time.DateOnly), Precision: kg.PrecisionDay}
}

func week(t time.Time) kg.Date {
	off := (int(t.Weekday()) + 6) % 7 // days since Monday
	return kg.Date{Date: t.AddDate(0, 0, -off).Format(time.DateOnly), Precision: kg.PrecisionWeek}
}

func month(y int, m time.Month) kg.Date {
	return kg.Date{Date: time.Date(y, m, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), Precision: kg.PrecisionMonth}
}

func year(y int) kg.Date {
	return kg.Date{Date: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), Precision: kg.PrecisionYear}
}

// unknownDate is the date of a relation whose sentence gives none.
var unknownDate = kg.Date{Precision: kg.PrecisionUnknown}

// resolveWeekday returns the most recent day named wd on or before pub: a
// story dated Wednesday that says "Wednesday" means that day; "Monday" the
// Monday two days before.
func resolveWeekday(wd time.Weekday, pub time.Time) time.Time {
	back := (int(pub.Weekday()) - int(wd) + 7) % 7
	return pub.AddDate(0, 0, -back)
}

// resolveMonthDay returns the date of "Sept. 9" (in year y when given, else in
// the published year, or the year before when that date would lie more than
// a week after the published date).
func resolveMonthDay(m time.Month, d, y int, pub time.Time) (time.Time, bool) {
	explicit := y != 0
	if !explicit {
		y = pub.Year()
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Month() != m || t.Day() != d {
		return time.Time{}, false
	}
	if !explicit && t.After(pub.AddDate(0, 0, 7)) {
		t = t.AddDate(-1, 0, 0)
	}
	return t, true
}

func atoiRange(s string, lo, hi int) (int, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, false
	}
	return n, true
}

// findDates finds the date expressions of a token slice, resolved against pub:
// weekday names; today, yesterday; last/this week, month, year; "a week
// ago", "N days ago"; "Sept. 9", "September 9, 2016", "Oct. 17, 2020";
// "in June" (this year, or last year when June lies ahead), "June 2016",
// "June ... of last year"; "in 2015", "a 1994 cease-fire".
func findDates(toks []token, pub time.Time) []dateExpr {
	var out []dateExpr
	low := func(i int) string {
		if i < 0 || i >= len(toks) {
			return ""
		}
		return toks[i].low
	}
	pub = time.Date(pub.Year(), pub.Month(), pub.Day(), 0, 0, 0, 0, time.UTC)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.punct {
			continue
		}
		switch w := t.low; {
		case isWeekday(w):
			if !t.capitalised() {
				continue
			}
			out = append(out, dateExpr{i, i + 1, day(resolveWeekday(weekdays[w], pub))})
		case w == "today" || w == "tonight":
			out = append(out, dateExpr{i, i + 1, day(pub)})
		case w == "yesterday":
			out = append(out, dateExpr{i, i + 1, day(pub.AddDate(0, 0, -1))})
		case (w == "last" || w == "this" || w == "past") && (low(i+1) == "week" || low(i+1) == "month" || low(i+1) == "year"):
			back := 0
			if w != "this" {
				back = 1
			}
			switch low(i + 1) {
			case "week":
				out = append(out, dateExpr{i, i + 2, week(pub.AddDate(0, 0, -7*back))})
			case "month":
				p := pub.AddDate(0, -back, 0)
				out = append(out, dateExpr{i, i + 2, month(p.Year(), p.Month())})
			case "year":
				out = append(out, dateExpr{i, i + 2, year(pub.Year() - back)})
			}
			i++
		case (w == "a" || w == "one" || w == "two" || w == "three" || w == "four" || w == "five" || w == "six") && (low(i+2) == "ago"):
			n := map[string]int{"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}[w]
			switch strings.TrimSuffix(low(i+1), "s") {
			case "day":
				out = append(out, dateExpr{i, i + 3, day(pub.AddDate(0, 0, -n))})
			case "week":
				out = append(out, dateExpr{i, i + 3, week(pub.AddDate(0, 0, -7*n))})
			case "month":
				p := pub.AddDate(0, -n, 0)
				out = append(out, dateExpr{i, i + 3, month(p.Year(), p.Month())})
			case "year":
				out = append(out, dateExpr{i, i + 3, year(pub.Year() - n)})
			}
		case months[w] != 0:
			if !t.capitalised() {
				continue
			}
			m := months[w]
			// Month Day[, Year]
			if d, ok := atoiRange(low(i+1), 1, 31); ok {
				y, end := 0, i+2
				if low(i+2) == "," {
					if yy, ok := atoiRange(low(i+3), 1900, 2100); ok {
						y, end = yy, i+4
					}
				} else if yy, ok := atoiRange(low(i+2), 1900, 2100); ok {
					y, end = yy, i+3
				}
				if date, ok := resolveMonthDay(m, d, y, pub); ok {
					out = append(out, dateExpr{i, end, day(date)})
					i = end - 1
				}
				continue
			}
			// Month Year
			if yy, ok := atoiRange(low(i+1), 1900, 2100); ok {
				out = append(out, dateExpr{i, i + 2, month(yy, m)})
				i++
				continue
			}
			if w == "may" || w == "march" { // also ordinary words
				if low(i-1) != "in" && low(i-1) != "since" && low(i-1) != "early" && low(i-1) != "late" && low(i-1) != "mid" {
					continue
				}
			}
			// "in June", "June ... of last year"
			y := pub.Year()
			if m > pub.Month() {
				y--
			}
			end := i + 1
			for k := i + 1; k < len(toks) && k < i+8; k++ {
				if toks[k].low == "." || toks[k].low == ";" {
					break
				}
				if toks[k].low == "last" && low(k+1) == "year" {
					y, end = pub.Year()-1, k+2
					break
				}
			}
			if low(i-1) == "in" || low(i-1) == "since" || low(i-1) == "early" || low(i-1) == "late" || end > i+1 {
				out = append(out, dateExpr{i, end, month(y, m)})
			}
		default:
			if yy, ok := atoiRange(w, 1900, 2100); ok && len(w) == 4 {
				prev := low(i - 1)
				if prev == "in" || prev == "since" || prev == "a" || prev == "the" || prev == "of" || prev == "early" || prev == "late" {
					out = append(out, dateExpr{i, i + 1, year(yy)})
				}
			}
		}
	}
	return out
}
