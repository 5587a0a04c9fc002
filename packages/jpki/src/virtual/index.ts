// Test and demo doubles of the My Number Card: never used against real residents.
export * from './ca.js';
