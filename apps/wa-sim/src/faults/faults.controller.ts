import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AffectedView, DropConnectionDto, StreamErrorDto } from './faults.dto';
import { FaultsService } from './faults.service';

@ApiTags('faults')
@Controller('faults')
export class FaultsController {
  constructor(private readonly faults: FaultsService) {}

  @Post('drop')
  @HttpCode(200)
  @ApiOperation({ summary: 'Network fault: cut live sockets without a close handshake (Baileys sees a close and may reconnect)' })
  @ApiResponse({ status: 200, type: AffectedView })
  drop(@Body() body: DropConnectionDto): AffectedView {
    return { connections: this.faults.drop(body.phoneNumber, body.deviceId) };
  }

  @Post('stream-error')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a <stream:error> to live sockets and close them' })
  @ApiResponse({ status: 200, type: AffectedView })
  streamError(@Body() body: StreamErrorDto): AffectedView {
    return { connections: this.faults.streamError(body.phoneNumber, body.kind, body.deviceId, body.code) };
  }
}
