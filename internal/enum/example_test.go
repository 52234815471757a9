package enum_test

import (
	"errors"
	"fmt"

	"github.com/coproduce/sociocracy/internal/enum"
)

type Weather uint8

const (
	Sunny Weather = 1 + iota
	Rainy
)

var weathers = enum.New[Weather]("Weather", "weather", func(act, detail string) error {
	return errors.New("forecast: " + act + ": " + detail)
}, "sunny", "rainy")

func ExampleSet() {
	b, _ := weathers.MarshalText(Rainy)
	fmt.Println(string(b), weathers.Name(Sunny), weathers.Name(7), weathers.Values())
	var w Weather
	fmt.Println(weathers.UnmarshalText([]byte("snowy"), &w))
	// Output:
	// rainy sunny Weather(7) [1 2]
	// forecast: parse weather: "snowy" is not a weather (want one of sunny, rainy)
}
