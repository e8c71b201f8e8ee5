import type { ValidationError } from '@nestjs/common';
import { fieldProblems } from './validation.js';

describe('fieldProblems', () => {
  it('flattens nested class-validator errors into field paths', () => {
    const errors = [
      { property: 'first', constraints: { max: 'first must not be greater than 100' }, children: [] },
      {
        property: 'input',
        children: [
          {
            property: 'email',
            constraints: { isEmail: 'email must be an email', maxLength: 'too long' },
            children: [],
          },
        ],
      },
    ] as unknown as ValidationError[];
    expect(fieldProblems(errors)).toEqual([
      { field: 'first', message: 'first must not be greater than 100' },
      { field: 'input.email', message: 'email must be an email' },
      { field: 'input.email', message: 'too long' },
    ]);
  });
});
