import { IsString } from 'class-validator';
import { readIdPathParams } from './id-path-params';
import { IsId } from './ids';

class OneId {
  @IsId()
  id: string;
}

class TwoIds {
  @IsId()
  orderId: string;

  @IsId()
  lineId: string;
}

class IdAndName {
  @IsId()
  id: string;

  @IsString()
  name: string;
}

const ID = '0192F5E4-6A7B-7C8D-9E0F-A1B2C3D4E5F6';

describe('readIdPathParams (the fast path for id-only path parameter DTOs)', () => {
  it('answers an instance of the DTO with the ids lower-cased, as the full pipe would', () => {
    const read = readIdPathParams(OneId, { id: ID });
    expect(read).toBeInstanceOf(OneId);
    expect(read).toEqual({ id: ID.toLowerCase() });
    expect(readIdPathParams(TwoIds, { orderId: ID, lineId: ID })).toEqual({
      orderId: ID.toLowerCase(),
      lineId: ID.toLowerCase(),
    });
  });

  it('leaves anything that does not pass to the full validation (which words the 400)', () => {
    expect(readIdPathParams(OneId, { id: 'not-a-uuid' })).toBeUndefined();
    expect(readIdPathParams(OneId, { id: `${ID}\u0000` })).toBeUndefined();
    expect(readIdPathParams(OneId, { id: ID, extra: ID })).toBeUndefined();
    expect(readIdPathParams(OneId, {})).toBeUndefined();
    expect(readIdPathParams(OneId, { id: ['a'] })).toBeUndefined();
    expect(readIdPathParams(TwoIds, { orderId: ID })).toBeUndefined();
  });

  it('is not used for a DTO that validates more than ids, nor for a parameter without a class', () => {
    expect(readIdPathParams(IdAndName, { id: ID, name: 'x' })).toBeUndefined();
    expect(readIdPathParams(String, { id: ID })).toBeUndefined();
    expect(readIdPathParams(undefined, { id: ID })).toBeUndefined();
  });
});
